using Microsoft.Extensions.DependencyInjection;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.Services;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The service-provider persona (issue 14): an organisation providing a service of the directory,
/// with no relationship with the young people but the referrals made to it. Each referral is sent
/// by the meetings' chair and moved by the provider's own user through the app's lifecycle
/// (<see cref="ServiceReferrals"/>: sent, accepted, waiting, started, ended, declined, withdrawn,
/// lapsed by the daily check), some of it on earlier days through a shifted clock.
/// </summary>
public abstract partial class AccessWorld
{
    private readonly List<WorldRecord> serviceReferralRecords = [];

    private string ServiceName => $"Matrix mentoring {Partnership.Suffix}";

    private async Task<Organisation> ProviderAsync(TestPartnership p)
    {
        var provider = new Organisation { Name = $"Service provider {p.Suffix}", Type = OrganisationType.Charity, AreaId = p.County.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(provider);
            await db.SaveChangesAsync();
        });
        return provider;
    }

    private (string, bool, Area?, (Organisation, WorldPeriod)[], (Organisation, WorldPeriod)[])[] ReferralCases(Organisation provider)
    {
        (Organisation, WorldPeriod)[] Grant(int start, DateOnly? end) => [(provider, new WorldPeriod(Guid.Empty, Today.AddDays(start), end))];
        var retention = GrantRules.ServiceReferralRetentionDays;
        var longest = GrantRules.DefaultEnd(Today);
        var yesterday = Today.AddDays(-1);
        return
        [
            ("referral sent, the provider deciding", true, ElsewhereWard, [], Grant(0, Today.AddDays(GrantRules.ServiceReferralDecisionDays))),
            ("referral accepted", true, ElsewhereWard, [], Grant(0, longest)),
            ("referral on the waiting list", true, ElsewhereWard, [], Grant(0, longest)),
            ("referral started", true, ElsewhereWard, [], Grant(0, longest)),
            ("referral ended today, the provider's clock running", true, ElsewhereWard, [], Grant(0, Today.AddDays(retention))),
            ("referral ended the set days ago (its access's last day)", true, ElsewhereWard, [], Grant(-retention - 10, Today)),
            ("referral declined", false, ElsewhereWard, [], Grant(0, yesterday)),
            ("referral ended longer ago than the provider's clock", false, ElsewhereWard, [], Grant(-retention - 30, yesterday)),
            ("referral sent and left unanswered past the decision days (lapsed)", false, ElsewhereWard, [], Grant(-GrantRules.ServiceReferralDecisionDays - 1, yesterday)),
            ("referral withdrawn by the referrer", false, ElsewhereWard, [], Grant(0, yesterday)),
            // Sent the decision days ago to the hour: the daily check lapses it today, on what was its grant's last day.
            ("referral lapsed today, unanswered for the decision days", false, ElsewhereWard, [], Grant(-GrantRules.ServiceReferralDecisionDays, yesterday)),
        ];
    }

    private async Task ReferToTheProviderAsync(Persona persona, TestUser referrer)
    {
        var child = persona.Cases.Select(c => c.Person.Id).ToArray();
        var provider = persona.User;
        var retention = GrantRules.ServiceReferralRetentionDays;
        var serviceId = await app.AsSystemAsync(async (db, _) =>
        {
            var service = new Service
            {
                ProviderOrganisationId = persona.Organisation.Id,
                Name = ServiceName,
                Description = "One-to-one mentoring for young people at risk of exclusion",
                HowToRefer = "Through Waypoint",
                Places = 20,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.Add(service);
            await db.SaveChangesAsync();
            return service.Id;
        });

        var ids = new Guid[child.Length];
        for (var n = 0; n < child.Length; n++)
        {
            var sentDaysAgo = n switch { 5 => retention + 10, 7 => retention + 30, 8 => GrantRules.ServiceReferralDecisionDays + 1, 10 => GrantRules.ServiceReferralDecisionDays, _ => 0 };
            ids[n] = await SendReferralAsync(referrer, child[n], serviceId, -sentDaysAgo);
        }
        await StepAsync(provider, ids[1], "accept", new());
        await StepAsync(provider, ids[2], "wait", new());
        await StepAsync(provider, ids[3], "accept", new());
        await StepAsync(provider, ids[3], "start", new(On: Today));
        await StepAsync(provider, ids[4], "accept", new());
        await StepAsync(provider, ids[4], "start", new(On: Today));
        await StepAsync(provider, ids[4], "end", new(On: Today, EndReason: ServiceReferralEndReason.Completed, Outcome: "Back in full-time lessons"));
        await StepAsync(provider, ids[6], "decline", new(Reason: "Outside our area"));
        await StepAsync(referrer, ids[9], "withdraw", new());
        // Started on the day they were sent, long ago; ended on a past day, the provider's user recording it today.
        foreach (var (n, endedDaysAgo) in new[] { (5, retention), (7, retention + 15) })
        {
            var sentDaysAgo = n == 5 ? retention + 10 : retention + 30;
            await StepAsync(provider, ids[n], "accept", new(), -sentDaysAgo);
            await StepAsync(provider, ids[n], "start", new(On: Today.AddDays(-sentDaysAgo)), -sentDaysAgo);
            await StepAsync(provider, ids[n], "end", new(On: Today.AddDays(-endedDaysAgo), EndReason: ServiceReferralEndReason.Completed, Outcome: "Finished the programme"));
        }
        // The daily check lapses the referrals nobody answered: one whose grant ran out on its own, one whose grant ends with the lapse.
        await app.AsSystemAsync((_, services) => services.GetRequiredService<ServiceDailyCheck>().LapseUnansweredAsync(CancellationToken.None));

        for (var n = 0; n < child.Length; n++)
        {
            var c = persona.Cases[n];
            serviceReferralRecords.Add(new WorldRecord(KeyKind.ServiceReferral, ids[n], c.Person, $"{c.Description}: referral to {ServiceName}") { OrganisationId = persona.Organisation.Id });
            if (c.WithRelationship)
                expectedWhy[c.Person.Id] = ["service referral", ServiceName];
        }
        await CheckProcessGrantsAsync(persona);
    }

    /// <summary>The provider's real referrals, as keyed records of its matrix (read by the provider while it may see the young person).</summary>
    private void AddServiceReferralRecords()
    {
        records.AddRange(serviceReferralRecords);
        recordsOf["service-provider"].AddRange(serviceReferralRecords);
    }

    private static ServiceReferrals Referrals(IServiceProvider services, TimeProvider clock) =>
        ActivatorUtilities.CreateInstance<ServiceReferrals>(services, clock, Grants(services, clock));

    private Task<Guid> SendReferralAsync(TestUser referrer, Guid personId, Guid serviceId, int clockDays) =>
        AsOnDayAsync(referrer, clockDays, async (services, clock) =>
        {
            var (outcome, person) = await services.GetRequiredService<PersonAccess>().OpenForAsync(personId, PersonOperations.Grant, "service-referral.new");
            if (person is null)
                throw new InvalidOperationException($"World error: the referrer may not refer the young person ({outcome}).");
            var (referral, errors) = await Referrals(services, clock).SendAsync(person,
                new SendServiceReferral(personId, serviceId, "Mentoring to keep them in school", ServiceReferralUrgency.Routine, LawfulBasis.PublicTask, null, null),
                CancellationToken.None);
            return referral?.Id ?? throw WorldError("send a referral", errors);
        });

    private Task StepAsync(TestUser user, Guid referralId, string step, ServiceReferralStep input, int clockDays = 0) =>
        AsOnDayAsync(user, clockDays, async (services, clock) =>
        {
            var referrals = Referrals(services, clock);
            var referral = await referrals.OpenAsync(referralId, "service-referral", CancellationToken.None)
                ?? throw new InvalidOperationException($"World error: the referral cannot be opened to {step} it.");
            var errors = await referrals.MoveAsync(referral, step, input, CancellationToken.None);
            return errors.Count == 0 ? true : throw WorldError($"{step} a referral", errors);
        });
}

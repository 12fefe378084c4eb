using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The closed-case persona (issue 16): an organisation in the team around two families whose cases
/// have closed. One case closed today, through the app's own closure clock (its team keeps access
/// for the partnership's set days); the other closed longer ago than that, so its clock has run out.
/// </summary>
public abstract partial class AccessWorld
{
    private WorldPeriod ClosureClockRunning => new(Guid.Empty, Today.AddDays(-30), Today.AddDays(TriageSettings.DefaultCaseAccessDaysAfterClosure));

    private WorldPeriod ClosureClockRunOut => new(Guid.Empty, Today.AddDays(-30 - TriageSettings.DefaultCaseAccessDaysAfterClosure - 1), Today.AddDays(-1));

    private async Task<Organisation> ClosedCaseTeamAsync(TestPartnership p)
    {
        var team = new Organisation { Name = $"Closed-case team {p.Suffix}", Type = OrganisationType.Charity, AreaId = p.County.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(team);
            await db.SaveChangesAsync();
        });
        return team;
    }

    /// <summary>Turns the persona's involvements into places in the team of a case led by <paramref name="lead"/>, then closes each case.</summary>
    private async Task CloseTheTeamsCasesAsync(Persona persona, Organisation team, Organisation lead)
    {
        foreach (var c in persona.Cases)
        {
            var running = c.WithRelationship;
            await app.AsSystemAsync(async (db, services) =>
            {
                var closedAt = running ? DateTimeOffset.UtcNow : DateTimeOffset.UtcNow.AddDays(-TriageSettings.DefaultCaseAccessDaysAfterClosure - 1);
                var theCase = new Case
                {
                    PersonId = c.Person.Id,
                    LeadOrganisationId = lead.Id,
                    Level = TriageOutcome.EarlyHelp,
                    Status = CaseStatus.Open,
                    OpenedAt = closedAt.AddDays(-30),
                };
                db.Cases.Add(theCase);
                var place = await db.Involvements.IgnoreQueryFilters().SingleAsync(i => i.PersonId == c.Person.Id && i.OrganisationId == team.Id);
                place.Source = InvolvementSource.TeamAroundFamily;
                place.SourceId = theCase.Id;
                db.CaseMembers.Add(new CaseMember { CaseId = theCase.Id, OrganisationId = team.Id, InvolvementId = place.Id, JoinedAt = theCase.OpenedAt });
                theCase.Status = CaseStatus.Closed;
                theCase.ClosedAt = closedAt;
                theCase.ClosureReason = CaseClosureReason.OutcomesMet;
                if (running)
                {
                    // Closed today: the app's own clock sets when the place ends.
                    place.EndDate = null;
                    place.ReviewOn = Today.AddMonths(1);
                    await db.SaveChangesAsync();
                    await services.GetRequiredService<GrantRules>().StartClosureClockAsync(theCase.Id, CancellationToken.None);
                }
                // Closed before the clock's length ago: the place the clock set has ended (as ClosureClockRunOut says).
                await db.SaveChangesAsync();
                return 0;
            });
        }
        var ends = await app.AsSystemAsync((db, _) => db.Involvements.IgnoreQueryFilters()
            .Where(i => i.OrganisationId == team.Id).Select(i => i.EndDate).ToListAsync());
        if (!ends.Contains(ClosureClockRunning.End) || !ends.Contains(ClosureClockRunOut.End))
            throw new InvalidOperationException("World error: the closed cases' places do not end where the closure clock says.");
    }
}

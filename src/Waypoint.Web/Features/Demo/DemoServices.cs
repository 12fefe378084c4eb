using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Demo;

/// <summary>
/// Demo scale only: a directory of 40 services across kinds and providers (the youth service,
/// the charity, the family centre, the school nurses, the council and the pupil referral units as
/// alternative provision), two of them full with a waiting list, one suspended (absent from the
/// public feed and finder), two past their review date; and the DSL's school's referrals in every
/// state, each with the provider's grant as the referral's own steps would have left it.
/// </summary>
public static class DemoServices
{
    private sealed record Template(string Name, string Description, string Provider, int Min, int Max, ServiceThreshold Threshold, int[] Needs, int Places, string Cost);

    private static readonly Template[] Templates =
    [
        new("Youth mentoring", "One-to-one weekly mentoring with a trained youth worker for a term, in school or the community.", "youth", 11, 18, ServiceThreshold.EarlyHelp, [1, 3], 24, "Free"),
        new("Detached youth work", "Youth workers meet young people where they gather in the evenings and build trust.", "youth", 11, 19, ServiceThreshold.Universal, [4, 5], 60, "Free"),
        new("Exploitation response", "Intensive work with young people at risk of criminal exploitation and county lines.", "youth", 10, 18, ServiceThreshold.Targeted, [4, 5], 12, "Free"),
        new("Positive activities programme", "Sport, music and arts sessions after school and in the holidays.", "youth", 8, 16, ServiceThreshold.Universal, [3], 80, "Free; some trips cost a small fee"),
        new("Knife crime awareness workshops", "Group workshops in schools on knife crime and its consequences.", "youth", 11, 16, ServiceThreshold.Universal, [5], 200, "Free to schools"),
        new("Young carers club", "A weekly club and breaks for children who look after someone at home.", "youth", 8, 18, ServiceThreshold.EarlyHelp, [8], 30, "Free"),
        new("Careers and next steps coaching", "Coaching for Year 10 and 11 pupils at risk of leaving education without a next step.", "youth", 14, 18, ServiceThreshold.EarlyHelp, [11], 40, "Free"),
        new("Family support work", "A family support worker visits weekly to help with routines, boundaries and school attendance.", "charity", 0, 18, ServiceThreshold.EarlyHelp, [2, 9], 20, "Free"),
        new("Domestic abuse recovery group", "A ten-week group for children who have lived with domestic abuse, with a parallel group for parents.", "charity", 5, 16, ServiceThreshold.Targeted, [7], 10, "Free"),
        new("Parenting teenagers course", "An eight-week evening course for parents of 10 to 16 year olds.", "charity", 10, 16, ServiceThreshold.EarlyHelp, [9], 16, "Free"),
        new("Attendance support", "Morning calls, walking buses and work with the family to get a child back to school.", "charity", 5, 16, ServiceThreshold.EarlyHelp, [2], 25, "Free"),
        new("Substance misuse support", "Confidential advice and one-to-one support for young people using drugs or alcohol.", "charity", 11, 19, ServiceThreshold.Targeted, [6], 18, "Free"),
        new("Emotional wellbeing drop-in", "A weekly drop-in with a counsellor for young people feeling anxious or low.", "charity", 11, 18, ServiceThreshold.Universal, [3], 50, "Free"),
        new("Bereavement support", "One-to-one and group support for children who have lost someone close.", "charity", 5, 18, ServiceThreshold.EarlyHelp, [3], 12, "Free"),
        new("Stay and play", "Sessions for parents and young children to play, learn and meet others.", "familycentre", 0, 5, ServiceThreshold.Universal, [9], 40, "Free"),
        new("Early help family keyworker", "A keyworker who leads a family's early-help plan and coordinates the team around them.", "familycentre", 0, 18, ServiceThreshold.EarlyHelp, [2, 7, 9], 30, "Free"),
        new("Holiday activities and food", "Activities and a hot meal in the school holidays for children on free school meals.", "familycentre", 5, 16, ServiceThreshold.Universal, [9], 120, "Free for eligible children"),
        new("Healthy relationships programme", "Group sessions for teenagers on consent, respect and healthy relationships.", "familycentre", 12, 18, ServiceThreshold.Universal, [7], 24, "Free"),
        new("Speech and language drop-in", "Advice for parents worried about their child's speech and language.", "familycentre", 0, 7, ServiceThreshold.Universal, [10], 30, "Free"),
        new("School nurse emotional health clinic", "Confidential appointments with a school nurse about emotional health, sleep and self-care.", "health", 11, 19, ServiceThreshold.Universal, [3], 60, "Free"),
        new("Sexual health and substance advice", "Confidential advice clinics in secondary schools.", "health", 13, 19, ServiceThreshold.Universal, [6], 80, "Free"),
        new("Continence and sleep support", "Advice and support for children with continence or sleep difficulties.", "health", 5, 16, ServiceThreshold.Universal, [10], 40, "Free"),
        new("Inclusion outreach", "The council's inclusion team supports schools to keep a pupil at risk of exclusion in school.", "la:inclusion", 5, 16, ServiceThreshold.Targeted, [1], 30, "Free to maintained schools and academies"),
        new("Fair access and reintegration", "Finds a new school place and plans reintegration after exclusion or a managed move.", "la:inclusion", 5, 16, ServiceThreshold.Targeted, [1, 2], 40, "Free"),
        new("Elective home education advice", "Advice and visits for families educating at home.", "la:inclusion", 5, 16, ServiceThreshold.Universal, [2], 100, "Free"),
        new("Education welfare service", "Casework with families where attendance is a concern, including legal action where needed.", "la:inclusion", 5, 16, ServiceThreshold.Targeted, [2], 60, "Free"),
        new("Virtual school support", "Education support for children in care and previously in care.", "la:inclusion", 3, 18, ServiceThreshold.Statutory, [10], 40, "Free"),
        new("Boxing and mentoring project", "Boxing training with mentoring for young people at risk of violence.", "charity", 11, 18, ServiceThreshold.EarlyHelp, [5], 20, "Free"),
        new("Football inclusion project", "Weekly football with coaching on behaviour and teamwork.", "youth", 9, 16, ServiceThreshold.Universal, [1, 3], 40, "Free"),
        new("Transition summer school", "A week in the summer for Year 6 children worried about starting secondary school.", "youth", 10, 12, ServiceThreshold.Universal, [3], 60, "Free"),
        new("Young people's advocacy", "Independent advocates who help young people have their say in meetings about them.", "charity", 8, 18, ServiceThreshold.Targeted, [10], 15, "Free"),
        new("Housing advice for young people", "Advice for 16 and 17 year olds at risk of homelessness.", "charity", 16, 19, ServiceThreshold.Targeted, [11], 20, "Free"),
    ];

    public static async Task SeedAsync(WaypointDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var orgs = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Name, o.Type, o.Phase }).ToListAsync(ct);
        Guid? Org(string key) => key switch
        {
            "youth" => orgs.FirstOrDefault(o => o.Type == OrganisationType.YouthService)?.Id,
            "charity" => orgs.FirstOrDefault(o => o.Type == OrganisationType.Charity)?.Id,
            "familycentre" => orgs.FirstOrDefault(o => o.Type == OrganisationType.FamilyCentre)?.Id,
            "health" => orgs.FirstOrDefault(o => o.Type == OrganisationType.Health)?.Id,
            "la:inclusion" => orgs.FirstOrDefault(o => o.Name.Contains("Educational Inclusion"))?.Id,
            _ => null,
        };
        var county = await db.Areas.Where(a => a.Kind == AreaKind.County).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        var districts = await db.Areas.Where(a => a.Kind == AreaKind.District).OrderBy(a => a.Name).Select(a => a.Id).ToListAsync(ct);
        if (county is null || Org("youth") is null || Org("charity") is null)
            return;

        var services = new List<Service>();
        Service Add(string name, string description, Guid provider, int min, int max, ServiceThreshold threshold, int[] needs, int places, string cost,
            IEnumerable<Guid> areas, Action<Service>? change = null)
        {
            var s = new Service
            {
                ProviderOrganisationId = provider,
                Name = name,
                Description = description,
                HowToRefer = "Refer through Waypoint, or telephone the referrals line. Families can ask for themselves.",
                MinimumAge = min,
                MaximumAge = max,
                Threshold = threshold,
                Places = places,
                Cost = cost,
                Email = $"referrals.{services.Count + 1}@services.nenshire.example",
                Phone = $"01604 49{services.Count + 1:0000}",
                OpeningTimes = "Monday to Friday, 9am to 5pm; some evening sessions",
                QaStatus = ServiceQaStatus.Approved,
                LastReviewedOn = today.AddMonths(-(services.Count % 10) - 1),
                NextReviewOn = today.AddMonths(12 - (services.Count % 10)),
                CreatedAt = now.AddMonths(-14),
                UpdatedAt = now.AddMonths(-(services.Count % 6)),
            };
            s.Areas.AddRange(areas.Distinct().Select(a => new ServiceArea { ServiceId = s.Id, AreaId = a }));
            s.Needs.AddRange(needs.Select(n => new ServiceNeed { ServiceId = s.Id, TaxonomyTermId = NeedsTaxonomy.Terms[n - 1].Id }));
            change?.Invoke(s);
            services.Add(s);
            return s;
        }
        foreach (var t in Templates)
            if (Org(t.Provider) is { } provider)
                Add(t.Name, t.Description, provider, t.Min, t.Max, t.Threshold, t.Needs, t.Places, t.Cost, [county.Value]);

        // Alternative provision: each district's pupil referral unit (registered), and two unregistered part-time providers.
        var units = orgs.Where(o => o.Phase == SchoolPhase.AlternativeProvision).OrderBy(o => o.Name).ToList();
        for (var i = 0; i < units.Count; i++)
            Add($"{units[i].Name}: full-time places", "Full-time education for pupils permanently excluded or unable to attend mainstream school, with a plan to return.",
                units[i].Id, 11, 16, ServiceThreshold.Statutory, [1], 30 + 5 * i, "Commissioned by the council: no charge to families",
                i < districts.Count ? [districts[i]] : [county.Value], s => { s.ApRegistration = ApRegistration.Registered; s.OfstedUrn = $"{149000 + i}"; });
        Add("Step Up vocational programme", "Part-time vocational learning (construction, motor vehicle, hair and beauty) for Key Stage 4 pupils two days a week.",
            Org("charity")!.Value, 14, 16, ServiceThreshold.Targeted, [1, 11], 16, "Commissioned by schools: £45 a day", [county.Value],
            s => s.ApRegistration = ApRegistration.Unregistered);
        Add("Outdoor learning days", "Part-time outdoor education and bushcraft for pupils struggling in the classroom.",
            Org("youth")!.Value, 11, 15, ServiceThreshold.Targeted, [1, 3], 12, "Commissioned by schools: £60 a day", [county.Value],
            s => s.ApRegistration = ApRegistration.Unregistered);

        // The directory's awkward cases: full with a waiting list, suspended, a review overdue.
        var mentoring = services[0];
        var exploitation = services[2];
        mentoring.Occupied = mentoring.Places;
        mentoring.WaitingList = 3;
        exploitation.Occupied = exploitation.Places;
        exploitation.WaitingList = 2;
        services.First(s => s.Name == "Boxing and mentoring project").QaStatus = ServiceQaStatus.Suspended;
        foreach (var overdue in services.Where(s => s.Name is "Bereavement support" or "Outdoor learning days"))
        {
            overdue.QaStatus = ServiceQaStatus.UnderReview;
            overdue.NextReviewOn = today.AddDays(-10);
        }
        foreach (var s in services.Where(s => s.Occupied == 0))
            s.Occupied = Math.Min(s.Places, s.Places * (s.Name.Length % 7) / 8);
        db.Set<Service>().AddRange(services);

        // The DSL's school (its DSL, or its first user) refers pupils to the youth service's and the charity's services, one in each state.
        var dsl = await db.Users.Where(u => u.OrganisationId == schoolId).OrderBy(u => u.Email == "dsl@brackton-academy.demo" ? 0 : 1).ThenBy(u => u.Id)
            .Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        var pupils = await db.Unfiltered<Enrolment>("demo data is generated by the system for every school").AsNoTracking()
            .Where(e => e.SchoolId == schoolId && e.EndDate == null).OrderByDescending(e => e.PersonId).Select(e => e.PersonId).Take(7).ToListAsync(ct);
        if (dsl is null || pupils.Count < 7)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var family = services.First(s => s.Name == "Family support work");
        var steps = new (ServiceReferralStatus Status, Service Service, int SentDaysAgo, string Reason)[]
        {
            (ServiceReferralStatus.Sent, services.First(s => s.Name == "Youth mentoring"), 2, "Three suspensions this term; would benefit from a trusted adult outside school."),
            (ServiceReferralStatus.Accepted, family, 9, "Attendance 78% and falling; mum asks for help with morning routines."),
            (ServiceReferralStatus.Waiting, exploitation, 20, "Seen with older youths in the town centre in school hours; unexplained new phone."),
            (ServiceReferralStatus.Started, services.First(s => s.Name == "Substance misuse support"), 45, "Disclosed regular cannabis use to the school nurse; wants help to stop."),
            (ServiceReferralStatus.Declined, services.First(s => s.Name == "Young carers club"), 30, "Looks after her younger brothers most evenings."),
            (ServiceReferralStatus.Ended, services.First(s => s.Name == "Careers and next steps coaching"), 150, "Year 11, no post-16 plan; at risk of becoming NEET."),
            (ServiceReferralStatus.Withdrawn, services.First(s => s.Name == "Attendance support"), 25, "Attendance below 85%."),
        };
        for (var i = 0; i < steps.Length; i++)
        {
            var (status, service, daysAgo, reason) = steps[i];
            var sent = now.AddDays(-daysAgo);
            var referral = new ServiceReferral
            {
                PersonId = pupils[i],
                ServiceId = service.Id,
                ProviderOrganisationId = service.ProviderOrganisationId,
                ReferrerUserId = dsl.Value,
                ReferrerOrganisationId = schoolId,
                Reason = reason,
                Urgency = i == 2 ? ServiceReferralUrgency.Urgent : ServiceReferralUrgency.Routine,
                LawfulBasis = LawfulBasis.PublicTask,
                Status = status,
                SentAt = sent,
                UpdatedAt = sent.AddDays(Math.Min(3, daysAgo)),
                Version = status == ServiceReferralStatus.Sent ? 0 : 1,
            };
            var answered = sent.AddDays(Math.Min(3, daysAgo));
            if (status is ServiceReferralStatus.Accepted or ServiceReferralStatus.Started or ServiceReferralStatus.Ended)
                referral.AcceptedAt = answered;
            if (status == ServiceReferralStatus.Waiting)
                referral.WaitingAt = answered;
            if (status == ServiceReferralStatus.Declined)
            {
                referral.DeclinedAt = answered;
                referral.DeclineReason = "The club is full for this school year; the young carers' assessment team can offer a break instead.";
            }
            if (status is ServiceReferralStatus.Started or ServiceReferralStatus.Ended)
                referral.StartedOn = DateOnly.FromDateTime(sent.AddDays(10).UtcDateTime);
            if (status == ServiceReferralStatus.Ended)
            {
                referral.EndedOn = today.AddDays(-20);
                referral.EndReason = ServiceReferralEndReason.Completed;
                referral.Outcome = "Enrolled at the college for September on a level 2 course; attended every coaching session.";
            }
            if (status == ServiceReferralStatus.Withdrawn)
                referral.EndedOn = DateOnly.FromDateTime(answered.UtcDateTime);
            // The provider's grant as the referral's steps left it (GrantRules' service-referral rules).
            var end = status switch
            {
                ServiceReferralStatus.Sent => DateOnly.FromDateTime(sent.UtcDateTime).AddDays(GrantRules.ServiceReferralDecisionDays),
                ServiceReferralStatus.Declined or ServiceReferralStatus.Withdrawn => DateOnly.FromDateTime(answered.UtcDateTime).AddDays(-1),
                ServiceReferralStatus.Ended => referral.EndedOn!.Value.AddDays(GrantRules.ServiceReferralRetentionDays),
                _ => today.AddMonths(11),
            };
            var grant = new Involvement
            {
                PersonId = referral.PersonId,
                OrganisationId = service.ProviderOrganisationId,
                Source = InvolvementSource.ServiceReferral,
                SourceId = referral.Id,
                Reason = $"referral to {service.Name}",
                StartDate = DateOnly.FromDateTime(sent.UtcDateTime),
                EndDate = end,
                AddedByUserId = dsl.Value,
                AddedAt = sent,
            };
            referral.InvolvementId = grant.Id;
            db.Involvements.Add(grant);
            db.Set<ServiceReferral>().Add(referral);
        }
        await db.SaveChangesAsync(ct);
    }
}

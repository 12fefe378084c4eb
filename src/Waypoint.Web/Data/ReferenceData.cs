using Microsoft.EntityFrameworkCore;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Data;

/// <summary>What every installation needs before anyone signs in: roles, record categories and a first sharing agreement.</summary>
public static class ReferenceData
{
    public static IReadOnlyList<RecordCategory> Categories { get; } =
    [
        new() { Code = RecordCategories.Education, Name = "Education", Description = "Enrolment, attendance, suspensions, exclusions, managed moves and part-time timetables recorded by schools." },
        new() { Code = RecordCategories.Behaviour, Name = "Behaviour detail", Description = "Behaviour incidents recorded by schools: what happened, its category and severity." },
        new() { Code = RecordCategories.PoliceGeneral, Name = "Police (general)", Description = "Occurrences and roles in them, police references." },
        new() { Code = RecordCategories.PoliceIntelligence, Name = "Police intelligence", Description = "Intelligence and nominal flags. Police only, whatever the agreement says.", RestrictedTo = OrganisationType.Police },
        new() { Code = RecordCategories.SocialCare, Name = "Social care", Description = "Children's social care involvement and plans." },
        new() { Code = RecordCategories.Health, Name = "Health", Description = "Health information shared for safeguarding." },
        new() { Code = RecordCategories.Family, Name = "Family", Description = "Household, relationships and family members." },
        new() { Code = RecordCategories.CaseWork, Name = "Case work", Description = "Notes, actions, plans and reviews of multi-agency case work." },
        new() { Code = RecordCategories.PupilCharacteristics, Name = "Pupil characteristics", Description = "Sex, ethnicity, SEN provision and free-school-meal eligibility recorded by schools for equality monitoring. Never a risk factor." },
    ];

    /// <summary>The rules of the first agreement: a reasonable starting point the partnership admin then edits.</summary>
    public static IEnumerable<(OrganisationType Owner, OrganisationType Reader, string Category)> DefaultRules()
    {
        var all = Enum.GetValues<OrganisationType>();
        foreach (var reader in new[] { OrganisationType.School, OrganisationType.LocalAuthorityTeam, OrganisationType.Police, OrganisationType.YouthService, OrganisationType.SocialCare, OrganisationType.FamilyCentre })
            yield return (OrganisationType.School, reader, RecordCategories.Education);
        foreach (var reader in new[] { OrganisationType.School, OrganisationType.LocalAuthorityTeam })
            yield return (OrganisationType.School, reader, RecordCategories.Behaviour);
        foreach (var reader in new[] { OrganisationType.Police, OrganisationType.LocalAuthorityTeam, OrganisationType.SocialCare })
            yield return (OrganisationType.Police, reader, RecordCategories.PoliceGeneral);
        yield return (OrganisationType.Police, OrganisationType.Police, RecordCategories.PoliceIntelligence);
        foreach (var reader in new[] { OrganisationType.SocialCare, OrganisationType.LocalAuthorityTeam, OrganisationType.Police, OrganisationType.Health })
            yield return (OrganisationType.SocialCare, reader, RecordCategories.SocialCare);
        foreach (var reader in new[] { OrganisationType.Health, OrganisationType.SocialCare })
            yield return (OrganisationType.Health, reader, RecordCategories.Health);
        foreach (var owner in all)
            foreach (var reader in all)
            {
                yield return (owner, reader, RecordCategories.Family);
                yield return (owner, reader, RecordCategories.CaseWork);
            }
    }

    public static async Task EnsureAsync(WaypointDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var roles = await db.Roles.Select(r => r.Name).ToListAsync(ct);
        foreach (var role in Roles.All.Except(roles!))
            db.Roles.Add(new WaypointRole { Name = role, NormalizedName = role!.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });

        var codes = await db.RecordCategories.Select(c => c.Code).ToListAsync(ct);
        foreach (var c in Categories.Where(c => !codes.Contains(c.Code)))
            db.RecordCategories.Add(new RecordCategory { Code = c.Code, Name = c.Name, Description = c.Description, RestrictedTo = c.RestrictedTo });

        if (!await db.SharingAgreementVersions.AnyAsync(ct))
        {
            db.SharingAgreementVersions.Add(new SharingAgreementVersion
            {
                Number = 1,
                Title = "Information-sharing agreement, first version",
                Summary = "Who may see which category of record, by the type of organisation that recorded it.",
                CreatedAt = clock.GetUtcNow(),
                InForceFrom = clock.GetUtcNow(),
                IsCurrent = true,
                Rules = DefaultRules().Select(r => new SharingRule { OwnerType = r.Owner, ReaderType = r.Reader, CategoryCode = r.Category }).ToList(),
            });
        }
        await db.SaveChangesAsync(ct);
    }
}

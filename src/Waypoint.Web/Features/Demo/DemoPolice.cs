using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Demo;

/// <summary>
/// Demo scale only: the force's side of issue 13, generated and fictional. Occurrences over the
/// last eleven months with the DSL's pupils in them, flags with review dates (one lapsed, for the
/// oversight page), names waiting in the review queue, and the ethnicity and free-school-meal
/// status the schools' CTFs would have given (for the equality report). The people are split in
/// two from the start: those named as victims, witnesses or missing are never named as suspects
/// or offenders anywhere, so the demo cannot show a victim scored as a perpetrator.
/// </summary>
public static class DemoPolice
{
    private static readonly string[] Ethnicities = ["WBRI", "WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "WIRI", "MWBC", "MWBA", "MOTH", "AIND", "APKN", "ABAN", "BCRB", "BAFR", "CHNE", "OOTH", "REFU", "NOBT"];

    public static async Task SeedAsync(WaypointDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken ct)
    {
        var police = await db.Organisations.Where(o => o.Type == OrganisationType.Police).Select(o => o.Id).FirstOrDefaultAsync(ct);
        var officer = await db.Users.Where(u => u.Email == "ei.officer@nenshire-police.demo").Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (police == Guid.Empty || officer == Guid.Empty)
            return;
        await SeedForAsync(db, schoolId, police, officer, now, everySchool: true, ct);
    }

    /// <summary>The force's records for one school's pupils (the tests call it on their own partnership); characteristics for every school's pupils or that one's.</summary>
    public static async Task SeedForAsync(WaypointDbContext db, Guid schoolId, Guid police, Guid officer, DateTimeOffset now, bool everySchool, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(13);
        await CharacteristicsAsync(db, everySchool ? null : schoolId, random, now, ct);

        var pupils = await db.Enrolments.Where(e => e.SchoolId == schoolId && e.EndDate == null && e.Person!.Kind == PersonKind.YoungPerson)
            .OrderBy(e => e.PersonId).Select(e => new { e.PersonId, e.Person!.AreaId, e.Person.GivenName, e.Person.FamilyName, e.Person.DateOfBirth }).Take(40).ToListAsync(ct);
        if (pupils.Count < 20)
            return;
        // Fixed sides: the first half only ever suspected or offending, the second only ever victims, witnesses or missing.
        var suspects = pupils.Take(pupils.Count / 2).ToList();
        var victims = pupils.Skip(pupils.Count / 2).ToList();

        // The force knows the people it has dealt with: a reviewed involvement, and their police reference.
        foreach (var p in pupils.Take(12).Concat(victims.Take(6)).DistinctBy(p => p.PersonId))
        {
            db.Involvements.Add(new Involvement
            {
                PersonId = p.PersonId,
                OrganisationId = police,
                Source = InvolvementSource.Explicit,
                Reason = "Youth engagement officer",
                StartDate = today.AddMonths(-6),
                EndDate = today.AddMonths(6),
                AddedByUserId = officer,
                AddedAt = now.AddMonths(-6),
            });
        }
        for (var i = 0; i < suspects.Count; i++)
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = suspects[i].PersonId, Scheme = IdentifierScheme.PoliceReference, Value = $"NP{200100 + i}", OwnerOrganisationId = police, CategoryCode = RecordCategories.PoliceGeneral });

        var crimes = HomeOfficeOffences.SubGroups.Where(s => s.Code is not ("homicide" or "death-or-serious-injury-unlawful-driving" or "rape")).ToList();
        var wards = pupils.Select(p => p.AreaId).Distinct().ToList();
        var occurrences = new List<Occurrence>();
        for (var n = 0; n < 30; n++)
        {
            var on = today.AddDays(-random.Next(3, 330));
            IncidentType? incident = n % 5 == 0 ? IncidentType.MissingPerson : n % 7 == 0 ? IncidentType.ConcernForSafety : null;
            var offence = incident is null ? crimes[random.Next(crimes.Count)] : null;
            var o = new Occurrence
            {
                PoliceReference = $"NP/{on:yyMM}/{1000 + n}",
                OccurredOn = on,
                OffenceGroup = offence?.Group,
                OffenceSubGroup = offence?.Code,
                IncidentType = incident,
                AreaId = wards[random.Next(wards.Count)],
                Outcome = incident is null ? (random.Next(3) == 0 ? "Under investigation" : "Community resolution") : "Found safe",
                OwnerOrganisationId = police,
                CategoryCode = n % 9 == 0 ? RecordCategories.PoliceIntelligence : RecordCategories.PoliceGeneral,
                RecordedAt = now.AddDays(-random.Next(1, 3)),
                RecordedByUserId = officer,
            };
            if (incident == IncidentType.MissingPerson)
                o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = victims[random.Next(victims.Count)].PersonId, Role = OccurrenceRole.MissingPerson });
            else if (incident == IncidentType.ConcernForSafety)
                o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = victims[random.Next(victims.Count)].PersonId, Role = OccurrenceRole.SubjectOfConcern });
            else
            {
                foreach (var s in suspects.OrderBy(_ => random.Next()).Take(random.Next(1, 3)))
                    o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = s.PersonId, Role = random.Next(2) == 0 ? OccurrenceRole.Suspect : OccurrenceRole.Offender });
                if (random.Next(2) == 0)
                    o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = victims[random.Next(victims.Count)].PersonId, Role = random.Next(3) == 0 ? OccurrenceRole.Witness : OccurrenceRole.Victim });
            }
            occurrences.Add(o);
        }
        db.Occurrences.AddRange(occurrences);

        PersonFlag Flag(Guid person, FlagKind kind, string evidence, DateOnly reviewOn) => new()
        {
            PersonId = person,
            Kind = kind,
            Evidence = evidence,
            OwnerOrganisationId = police,
            CategoryCode = RecordCategories.PoliceGeneral,
            SetByUserId = officer,
            SetAt = now.AddMonths(-2),
            ReviewOn = reviewOn,
            Status = FlagStatus.Active,
        };
        db.PersonFlags.AddRange(
            Flag(suspects[0].PersonId, FlagKind.GangAssociated, "Named with the same group in three violence occurrences; corroborated by the youth service", today.AddMonths(3)),
            Flag(suspects[1].PersonId, FlagKind.CriminalExploitationRisk, "Found out of area with cash and two phones; county lines indicators", today.AddMonths(2)),
            Flag(victims[0].PersonId, FlagKind.GoingMissing, "Three missing episodes this term, each returning after midnight", today.AddMonths(1)),
            // Not reviewed by its date: it has lapsed and counts nowhere, and the DPO's oversight shows it.
            Flag(suspects[2].PersonId, FlagKind.IntegratedOffenderManagement, "Referred to the IOM panel", today.AddDays(-10)));

        // Names from a file the register could not match for certain: a slight misspelling, a missing birthday, someone unknown.
        var file = "occurrences-demo.csv";
        var first = occurrences.First(o => o.IncidentType is null);
        OccurrenceMatchReview Waiting(int line, string given, string family, DateOnly? dob, OccurrenceRole role, Guid? candidate) => new()
        {
            OccurrenceId = first.Id,
            OwnerOrganisationId = police,
            FileName = file,
            Line = line,
            GivenName = given,
            FamilyName = family,
            DateOfBirth = dob,
            Role = role,
            CandidatePersonId = candidate,
            Status = OccurrenceMatchStatus.Waiting,
            CreatedAt = now.AddHours(-3),
        };
        var misspelt = pupils[3];
        db.OccurrenceMatchReviews.AddRange(
            Waiting(2, misspelt.GivenName, misspelt.FamilyName.Length > 3 ? misspelt.FamilyName[..^1] + "e" : misspelt.FamilyName, misspelt.DateOfBirth, OccurrenceRole.Suspect, misspelt.PersonId),
            Waiting(3, pupils[5].GivenName, pupils[5].FamilyName, null, OccurrenceRole.Suspect, null),
            Waiting(4, "Jordan", "Okafor-Demo", new DateOnly(2010, 3, 14), OccurrenceRole.Witness, null));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What the schools' CTFs would have given: sex, an ethnicity code, SEN provision and FSM status for every pupil on a roll whose school holds none.</summary>
    private static async Task CharacteristicsAsync(WaypointDbContext db, Guid? schoolId, Random random, DateTimeOffset now, CancellationToken ct)
    {
        var enrolments = await db.Enrolments.Where(e => e.EndDate == null && (schoolId == null || e.SchoolId == schoolId)
                && !db.PupilCharacteristics.Any(c => c.PersonId == e.PersonId && c.SchoolId == e.SchoolId))
            .OrderBy(e => e.Id).Select(e => new { e.PersonId, e.SchoolId, e.Person!.Sex }).ToListAsync(ct);
        // SEN from a stream of its own, so the draws the rest of the demo makes stay as they were.
        var sen = new Random(31);
        foreach (var e in enrolments.DistinctBy(e => (e.PersonId, e.SchoolId)))
            db.PupilCharacteristics.Add(new PupilCharacteristics
            {
                PersonId = e.PersonId,
                SchoolId = e.SchoolId,
                Sex = e.Sex,
                Ethnicity = Ethnicities[random.Next(Ethnicities.Length)],
                SenProvision = sen.Next(100) switch { < 4 => "E", < 16 => "K", _ => "N" },
                FsmEligible = random.Next(100) < 24,
                UpdatedAt = now,
            });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Schools;

/// <summary>
/// A school records a pupil's characteristics for equality monitoring by hand (a CTF import
/// writes the same record). Only a school where the pupil is enrolled now (the school-records
/// rule, <see cref="SchoolRecording"/>); each change is kept in the history with who made it.
/// </summary>
public sealed class PupilCharacteristicsPageModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : SchoolRecordPageModel(db, access, clock)
{
    private const string Subject = "person.school.characteristics";

    public sealed record HistoryLine(DateTimeOffset ChangedAt, string Field, string From, string To, string Source, string? By);

    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? Ethnicity { get; set; }
    [BindProperty] public string? SenProvision { get; set; }
    [BindProperty] public string? FreeSchoolMeals { get; set; }

    public IReadOnlyList<HistoryLine> History { get; private set; } = [];

    /// <summary>A code from the school's file that is not one of the main codes: offered so that saving keeps it.</summary>
    public string? ExtendedEthnicity { get; private set; }

    public static IReadOnlyList<(string Value, string Text)> SexOptions { get; } =
        [("Female", "Female"), ("Male", "Male"), ("Unknown", "Not known")];

    public static IReadOnlyList<(string Value, string Text)> SenOptions { get; } =
        SchoolCensusCodes.SenProvision.Select(s => (s.Key, s.Value)).ToList();

    public static IReadOnlyList<(string Value, string Text)> FsmOptions { get; } =
        [("Eligible", "Eligible for free school meals"), ("NotEligible", "Not eligible"), ("NotKnown", "Not known")];

    public IReadOnlyList<(string Value, string Text)> EthnicityOptions =>
        [.. ExtendedEthnicity is { } x ? [(x, EthnicityCodes.Describe(x))] : Array.Empty<(string, string)>(),
            .. EthnicityCodes.Main.Select(m => (m.Code, $"{m.Description} ({m.Code})"))];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;
        var held = await PupilCharacteristicsRecording.HeldAsync(Db, Id, Db.Reader.OrganisationId, ct);
        Sex = held?.Sex?.ToString();
        Ethnicity = held?.Ethnicity;
        SenProvision = held?.SenProvision;
        FreeSchoolMeals = held?.FsmEligible switch { true => "Eligible", false => "NotEligible", null => held is null ? null : "NotKnown" };
        await LoadAsync(held, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;
        var held = await PupilCharacteristicsRecording.HeldAsync(Db, Id, Db.Reader.OrganisationId, ct);

        Sex? sex = null;
        if (string.IsNullOrEmpty(Sex))
            Errors["Sex"] = "Select the pupil's sex, or Not known";
        else if (!Enum.TryParse<Sex>(Sex, out var parsedSex) || !Enum.IsDefined(parsedSex) || int.TryParse(Sex, out _))
            Errors["Sex"] = "Select the pupil's sex from the list";
        else
            sex = parsedSex;

        var ethnicity = Ethnicity?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(ethnicity))
            Errors["Ethnicity"] = "Select the pupil's ethnicity, or Information not yet obtained";
        else if (!EthnicityCodes.IsMain(ethnicity) && ethnicity != held?.Ethnicity)
            Errors["Ethnicity"] = "Select the pupil's ethnicity from the list of DfE codes";

        if (string.IsNullOrEmpty(SenProvision))
            Errors["SenProvision"] = "Select the pupil's SEN provision";
        else if (!SchoolCensusCodes.SenProvision.ContainsKey(SenProvision))
            Errors["SenProvision"] = "Select the pupil's SEN provision from the list";

        bool? fsm = null;
        switch (FreeSchoolMeals)
        {
            case "Eligible": fsm = true; break;
            case "NotEligible": fsm = false; break;
            case "NotKnown": break;
            case null or "": Errors["FreeSchoolMeals"] = "Select whether the pupil is eligible for free school meals"; break;
            default: Errors["FreeSchoolMeals"] = "Select free-school-meal eligibility from the list"; break;
        }

        if (Errors.Count > 0)
        {
            await LoadAsync(held, ct);
            return Page();
        }

        var changes = PupilCharacteristicsRecording.Apply(Db, held, Id, Db.Reader.OrganisationId,
            new CharacteristicValues(sex, ethnicity, SenProvision, fsm), PupilCharacteristicsRecording.ByHand, Db.Reader.UserId, Now);
        if (changes.Count == 0)
        {
            TempData["Confirmation"] = "The pupil's characteristics were already as entered: nothing changed";
            return BackToSchoolRecords();
        }
        // The audit names what changed, never the values (the log holds no personal details).
        await Access.AuditWriteAsync(Id, held is null ? AuditAction.Create : AuditAction.Update,
            $"{Subject}: {string.Join(", ", changes.Select(c => c.Field.ToLowerInvariant()))}", ct);
        await Db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"The pupil's characteristics were saved ({string.Join(", ", changes.Select(c => c.Field.ToLowerInvariant()))} changed)";
        return BackToSchoolRecords();
    }

    private async Task LoadAsync(PupilCharacteristics? held, CancellationToken ct)
    {
        ExtendedEthnicity = held?.Ethnicity is { } code && !EthnicityCodes.IsMain(code) ? code : null;
        var school = Db.Reader.OrganisationId;
        var lines = await Db.PupilCharacteristicsChanges.AsNoTracking().Where(c => c.PersonId == Id && c.SchoolId == school)
            .OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id).Take(100)
            .Select(c => new { c.ChangedAt, c.Field, c.From, c.To, c.Source, c.ChangedByUserId })
            .ToListAsync(ct);
        var userIds = lines.Where(l => l.ChangedByUserId != null).Select(l => l.ChangedByUserId!.Value).Distinct().ToList();
        var names = await Db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        History = lines.Select(l => new HistoryLine(l.ChangedAt, l.Field, PupilCharacteristicsRecording.DescribeValue(l.Field, l.From),
            PupilCharacteristicsRecording.DescribeValue(l.Field, l.To), l.Source,
            l.ChangedByUserId is { } u ? names.GetValueOrDefault(u, "A former user") : null)).ToList();
    }
}

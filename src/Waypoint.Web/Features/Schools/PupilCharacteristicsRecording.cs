using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Schools;

/// <summary>The DfE's main ethnicity codes for the school census and the Common Transfer File, as the manual entry page offers them.</summary>
public static class EthnicityCodes
{
    /// <summary>The main codes in the census's order. A file may carry an extended code (WENG, BSOM, ... in Extended), which is kept as given.</summary>
    public static IReadOnlyList<(string Code, string Description)> Main { get; } =
    [
        ("WBRI", "White - British"),
        ("WIRI", "White - Irish"),
        ("WIRT", "Traveller of Irish heritage"),
        ("WROM", "Gypsy / Roma"),
        ("WOTH", "Any other White background"),
        ("MWBC", "White and Black Caribbean"),
        ("MWBA", "White and Black African"),
        ("MWAS", "White and Asian"),
        ("MOTH", "Any other mixed background"),
        ("AIND", "Indian"),
        ("APKN", "Pakistani"),
        ("ABAN", "Bangladeshi"),
        ("AOTH", "Any other Asian background"),
        ("BCRB", "Black Caribbean"),
        ("BAFR", "Black - African"),
        ("BOTH", "Any other Black background"),
        ("CHNE", "Chinese"),
        ("OOTH", "Any other ethnic group"),
        ("REFU", "Refused"),
        ("NOBT", "Information not yet obtained"),
    ];

    /// <summary>
    /// The DfE's approved extended codes (the census's "extended ethnic categories", which a school
    /// may use and its MIS writes into a CTF), each under the main code it counts as, in the DfE's
    /// order. Checked against two DfE sources (docs/imports.md, "Ethnicity codes"):
    /// the DfE's own reference data in DFE-Digital/review-school-college-data (mirrored as uk-gov-mirror/DFE-Digital.review-school-college-data),
    /// src/ReferenceData/03_RestoreCurrentSchemaAndData.sql at commit
    /// b220e80f7a367fc49bfbc431564101592ff7947d (2021), every extended code and its parent; and the
    /// DfE's code list for the census, https://www.gov.uk/guidance/alternative-provision-ap-census/codes
    /// (as published 2024), which adds WNIR and lists WROG, WROR and WROO under WROM, which the 2021
    /// reference data lacks. A code in neither list is refused by the CTF import.
    /// </summary>
    public static IReadOnlyList<(string Code, string Description, string Main)> Extended { get; } =
    [
        ("WCOR", "White - Cornish", "WBRI"), ("WENG", "White - English", "WBRI"), ("WNIR", "White - Northern Irish", "WBRI"),
        ("WSCO", "White - Scottish", "WBRI"), ("WWEL", "White - Welsh", "WBRI"), ("WOWB", "Other White British", "WBRI"),
        ("WALB", "Albanian", "WOTH"), ("WBOS", "Bosnian-Herzegovinian", "WOTH"), ("WCRO", "Croatian", "WOTH"),
        ("WGRE", "Greek / Greek Cypriot", "WOTH"), ("WGRK", "Greek", "WOTH"), ("WGRC", "Greek Cypriot", "WOTH"),
        ("WITA", "Italian", "WOTH"), ("WKOS", "Kosovan", "WOTH"), ("WPOR", "Portuguese", "WOTH"), ("WSER", "Serbian", "WOTH"),
        ("WTUR", "Turkish / Turkish Cypriot", "WOTH"), ("WTUK", "Turkish", "WOTH"), ("WTUC", "Turkish Cypriot", "WOTH"),
        ("WEUR", "White European", "WOTH"), ("WEEU", "White Eastern European", "WOTH"), ("WWEU", "White Western European", "WOTH"),
        ("WOTW", "White other", "WOTH"),
        ("WROG", "Gypsy", "WROM"), ("WROR", "Roma", "WROM"), ("WROO", "Other Gypsy / Roma", "WROM"),
        ("MWAP", "White and Pakistani", "MWAS"), ("MWAI", "White and Indian", "MWAS"), ("MWAO", "White and any other Asian background", "MWAS"),
        ("MAOE", "Asian and any other ethnic group", "MOTH"), ("MABL", "Asian and Black", "MOTH"), ("MACH", "Asian and Chinese", "MOTH"),
        ("MBOE", "Black and any other ethnic group", "MOTH"), ("MBCH", "Black and Chinese", "MOTH"), ("MCOE", "Chinese and any other ethnic group", "MOTH"),
        ("MWOE", "White and any other ethnic group", "MOTH"), ("MWCH", "White and Chinese", "MOTH"), ("MOTM", "Other mixed background", "MOTH"),
        ("AMPK", "Mirpuri Pakistani", "APKN"), ("AKPA", "Kashmiri Pakistani", "APKN"), ("AOPK", "Other Pakistani", "APKN"),
        ("AAFR", "African Asian", "AOTH"), ("AKAO", "Kashmiri other", "AOTH"), ("ANEP", "Nepali", "AOTH"), ("ASNL", "Sri Lankan Sinhalese", "AOTH"),
        ("ASLT", "Sri Lankan Tamil", "AOTH"), ("ASRO", "Sri Lankan other", "AOTH"), ("AOTA", "Other Asian", "AOTH"),
        ("BANN", "Angolan", "BAFR"), ("BCON", "Congolese", "BAFR"), ("BGHA", "Ghanaian", "BAFR"), ("BNGN", "Nigerian", "BAFR"),
        ("BSLN", "Sierra Leonean", "BAFR"), ("BSOM", "Somali", "BAFR"), ("BSUD", "Sudanese", "BAFR"), ("BAOF", "Other Black African", "BAFR"),
        ("BEUR", "Black European", "BOTH"), ("BNAM", "Black North American", "BOTH"), ("BOTB", "Other Black", "BOTH"),
        ("CHKC", "Hong Kong Chinese", "CHNE"), ("CMAL", "Malaysian Chinese", "CHNE"), ("CSNG", "Singaporean Chinese", "CHNE"),
        ("CTWN", "Taiwanese", "CHNE"), ("COCH", "Other Chinese", "CHNE"),
        ("OAFG", "Afghan", "OOTH"), ("OARA", "Arab other", "OOTH"), ("OEGY", "Egyptian", "OOTH"), ("OFIL", "Filipino", "OOTH"),
        ("OIRN", "Iranian", "OOTH"), ("OIRQ", "Iraqi", "OOTH"), ("OJPN", "Japanese", "OOTH"), ("OKOR", "Korean", "OOTH"),
        ("OKRD", "Kurdish", "OOTH"), ("OLAM", "Latin / South / Central American", "OOTH"), ("OLEB", "Lebanese", "OOTH"),
        ("OLIB", "Libyan", "OOTH"), ("OMAL", "Malay", "OOTH"), ("OMRC", "Moroccan", "OOTH"), ("OPOL", "Polynesian", "OOTH"),
        ("OTHA", "Thai", "OOTH"), ("OVIE", "Vietnamese", "OOTH"), ("OYEM", "Yemeni", "OOTH"), ("OOEG", "Other ethnic group", "OOTH"),
    ];

    public static bool IsMain(string? code) => code is not null && Main.Any(m => m.Code == code);

    /// <summary>A main or extended DfE code (as the file should write it: four capital letters).</summary>
    public static bool IsKnown(string? code) => IsMain(code) || (code is not null && Extended.Any(x => x.Code == code));

    public static string Describe(string? code) => code is null ? "Not recorded"
        : Main.FirstOrDefault(m => m.Code == code) is { Description: { } d } ? $"{d} ({code})"
        : Extended.FirstOrDefault(x => x.Code == code) is { Description: { } e, Main: { } main }
            ? $"{e} ({code}, an extended code from the school's file, counted as {Main.First(m => m.Code == main).Description})"
        : $"{code} (an extended code from the school's file: {Risk.Representation.EthnicGroup(code)})";
}

/// <summary>Words for the characteristics, shared by the page, its history and the person page's section.</summary>
public static class CharacteristicLabels
{
    public static string Sex(Sex? sex) => sex switch
    {
        Domain.Sex.Female => "Female",
        Domain.Sex.Male => "Male",
        Domain.Sex.Unknown => "Not known",
        _ => "Not recorded",
    };

    public static string Sen(string? code) => code is null ? "Not recorded" : SchoolCensusCodes.SenProvision.GetValueOrDefault(code, code);

    public static string Fsm(bool? eligible) => eligible switch
    {
        true => "Eligible",
        false => "Not eligible",
        null => "Not recorded",
    };
}

/// <summary>The values to hold; null leaves a characteristic unrecorded.</summary>
public sealed record CharacteristicValues(Sex? Sex, string? Ethnicity, string? SenProvision, bool? FsmEligible);

/// <summary>
/// Writes a pupil's characteristics at one school and a history line for every value that changed
/// (who, when, from what, to what, by hand or from which file). The page and the Common Transfer
/// File import both write through here, so the history is complete whichever way a value arrived.
/// </summary>
public static class PupilCharacteristicsRecording
{
    public const string ByHand = "Entered by hand";

    /// <summary>Applies <paramref name="values"/> to <paramref name="held"/> (or a new record, added to the context); returns the changes, empty when nothing changed.</summary>
    public static IReadOnlyList<PupilCharacteristicsChange> Apply(WaypointDbContext db, PupilCharacteristics? held, Guid personId, Guid schoolId,
        CharacteristicValues values, string source, Guid? userId, DateTimeOffset now)
    {
        var record = held ?? new PupilCharacteristics { PersonId = personId, SchoolId = schoolId };
        var changes = new List<PupilCharacteristicsChange>();
        void Change(string field, string? from, string? to)
        {
            if (from == to)
                return;
            changes.Add(new PupilCharacteristicsChange
            {
                PersonId = personId,
                SchoolId = schoolId,
                ChangedAt = now,
                ChangedByUserId = userId,
                Source = source.Length > PupilCharacteristicsChange.SourceLength ? source[..PupilCharacteristicsChange.SourceLength] : source,
                Field = field,
                From = from,
                To = to,
            });
        }
        Change(PupilCharacteristicFields.Sex, held?.Sex?.ToString(), values.Sex?.ToString());
        Change(PupilCharacteristicFields.Ethnicity, held?.Ethnicity, values.Ethnicity);
        Change(PupilCharacteristicFields.SenProvision, held?.SenProvision, values.SenProvision);
        Change(PupilCharacteristicFields.FsmEligible, held?.FsmEligible?.ToString(), values.FsmEligible?.ToString());
        if (changes.Count == 0)
            return changes;
        record.Sex = values.Sex;
        record.Ethnicity = values.Ethnicity;
        record.SenProvision = values.SenProvision;
        record.FsmEligible = values.FsmEligible;
        record.UpdatedAt = now;
        record.UpdatedByUserId = userId;
        if (held is null)
            db.PupilCharacteristics.Add(record);
        db.PupilCharacteristicsChanges.AddRange(changes);
        return changes;
    }

    /// <summary>Words for a history line's stored value.</summary>
    public static string DescribeValue(string field, string? value) => field switch
    {
        PupilCharacteristicFields.Sex => CharacteristicLabels.Sex(Enum.TryParse<Sex>(value, out var s) ? s : null),
        PupilCharacteristicFields.Ethnicity => EthnicityCodes.Describe(value),
        PupilCharacteristicFields.SenProvision => CharacteristicLabels.Sen(value),
        PupilCharacteristicFields.FsmEligible => CharacteristicLabels.Fsm(bool.TryParse(value, out var b) ? b : null),
        _ => value ?? "Not recorded",
    };

    /// <summary>The reader's school's characteristics for the pupil (the filter lets a school see its own).</summary>
    public static Task<PupilCharacteristics?> HeldAsync(WaypointDbContext db, Guid personId, Guid schoolId, CancellationToken ct) =>
        db.PupilCharacteristics.FirstOrDefaultAsync(c => c.PersonId == personId && c.SchoolId == schoolId, ct);
}

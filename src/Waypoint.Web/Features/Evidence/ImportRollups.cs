using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// The rollup upkeep of an import's COPY on PostgreSQL, whose rows pass the change tracker by. An
/// import only adds rows here, so what they make in the exclusion rollups is counted in the
/// application: the pupils' rows already held (read once, before the COPY) against the same
/// with the new rows, one grouped upsert a table. New pupils' per-person rows are counted from
/// the rows being written; only pupils already held are recounted from the database.
/// </summary>
public sealed class ImportRollups
{
    private readonly IReadOnlyList<Person> newPeople;
    private readonly IReadOnlyList<Enrolment> enrolments;
    private readonly IReadOnlyList<Suspension> suspensions;
    private readonly HashSet<Guid> heldPupils;
    private readonly List<SuspensionFact> heldSuspensions;
    private readonly List<EnrolmentFact> heldEnrolments;

    private ImportRollups(IReadOnlyList<Person> newPeople, IReadOnlyList<Enrolment> enrolments, IReadOnlyList<Suspension> suspensions,
        HashSet<Guid> heldPupils, List<SuspensionFact> heldSuspensions, List<EnrolmentFact> heldEnrolments) =>
        (this.newPeople, this.enrolments, this.suspensions, this.heldPupils, this.heldSuspensions, this.heldEnrolments) =
        (newPeople, enrolments, suspensions, heldPupils, heldSuspensions, heldEnrolments);

    /// <summary>Before the COPY: the rows already held for the pupils it adds to (null when the upkeep is switched off for a bench).</summary>
    public static async Task<ImportRollups?> BeforeAsync(WaypointDbContext db, IReadOnlyList<Person> newPeople, IReadOnlyList<Enrolment> enrolments, IReadOnlyList<Suspension> suspensions, CancellationToken ct)
    {
        if (RollupSlices.UpkeepSwitchedOff)
            return null;
        var isNew = newPeople.Select(p => p.Id).ToHashSet();
        var held = enrolments.Select(e => e.PersonId).Concat(suspensions.Select(s => s.PersonId)).Where(p => !isNew.Contains(p)).ToHashSet();
        var (heldSuspensions, heldEnrolments) = held.Count == 0 ? ([], []) : await ExclusionRollupDelta.LoadAsync(db, held, ct);
        return new ImportRollups(newPeople, enrolments, suspensions, held, heldSuspensions, heldEnrolments);
    }

    /// <summary>After the COPY, in its transaction.</summary>
    public async Task AfterCopyAsync(WaypointDbContext db, CancellationToken ct)
    {
        var added = suspensions.Where(s => s.Outcome != ExclusionOutcome.Withdrawn)
            .Select(s => new SuspensionFact(s.PersonId, s.SchoolId, s.StartDate, s.Kind, s.ReasonCode1)).ToList();
        var addedEnrolments = enrolments.Select(e => new EnrolmentFact(e.PersonId, e.SchoolId, e.StartDate, e.EndDate)).ToList();
        // New pupils' violence rows before the turn (wave 26b): they are keyed by people only this transaction
        // holds, so no other import's upkeep can write the same rows, and they show at the commit as before.
        await EvidenceRollups.AddNewPeopleAsync(db, newPeople, enrolments, suspensions, ct);
        // The exclusion stamp before the first change to the rollups, after the COPY (as RollupUpkeep.AfterAsync):
        // its row stays locked to the commit, so two imports' COPYs still run side by side and only their upkeep takes turns.
        if (enrolments.Count > 0 || suspensions.Count > 0)
            await EvidenceStamps.HoldAsync(db, EvidenceStamps.Exclusions, ct); // the difference moves its schools' county stamps
        var current = AcademicYear.Of(db.Today).StartYear;
        var delta = new ExclusionRollupDelta();
        delta.Add(heldSuspensions, heldEnrolments, current, -1);
        delta.Add(heldSuspensions.Concat(added), heldEnrolments.Concat(addedEnrolments), current, +1);
        await delta.ApplyAsync(db, ct);
        if (heldPupils.Count > 0)
            await EvidenceRollups.RefreshPeopleAsync(db, heldPupils, ct);
    }
}

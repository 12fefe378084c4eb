using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Admin.Agreement;

/// <summary>What the draft editor posts: the title, the summary and the ticked cells.</summary>
public sealed class DraftInput
{
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public List<string> Allowed { get; set; } = [];
}

/// <summary>
/// The life of an information-sharing agreement version: drafted as a copy of the version in force,
/// edited while a draft, then published, when it becomes the one version in force and the one
/// before it becomes history. A version that has been in force is never changed again; the access
/// policy reads only the current version, so publishing changes what every partner sees at once.
/// </summary>
public sealed class AgreementDrafting(WaypointDbContext db, AdminSession session, TimeProvider clock)
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 2000;

    public Task<SharingAgreementVersion?> CurrentAsync(CancellationToken ct) =>
        db.SharingAgreementVersions.AsNoTracking().Include(v => v.Rules).FirstOrDefaultAsync(v => v.IsCurrent, ct);

    /// <summary>The one version being drafted: never in force, never current.</summary>
    public Task<SharingAgreementVersion?> DraftAsync(CancellationToken ct) =>
        db.SharingAgreementVersions.Include(v => v.Rules).FirstOrDefaultAsync(v => v.InForceFrom == null && !v.IsCurrent, ct);

    public async Task<IReadOnlyList<RecordCategory>> CategoriesAsync(CancellationToken ct)
    {
        var stored = await db.RecordCategories.AsNoTracking().ToListAsync(ct);
        // The reference order (education first, police intelligence after police general) reads better than the alphabet.
        var order = Data.ReferenceData.Categories.Select(c => c.Code).ToList();
        return stored.OrderBy(c => order.IndexOf(c.Code) is var i && i < 0 ? int.MaxValue : i).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The draft, started as a copy of the current version's rules if there is none yet.</summary>
    public async Task<SharingAgreementVersion> StartDraftAsync(CancellationToken ct)
    {
        if (await DraftAsync(ct) is { } existing)
            return existing;
        var admin = await session.CurrentAsync();
        var current = await CurrentAsync(ct);
        var number = (await db.SharingAgreementVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
        var draft = new SharingAgreementVersion
        {
            Number = number,
            Title = $"Information-sharing agreement, version {number}",
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = admin.UserId,
            Rules = (current?.Rules ?? []).Select(r => new SharingRule { OwnerType = r.OwnerType, ReaderType = r.ReaderType, CategoryCode = r.CategoryCode }).ToList(),
        };
        db.SharingAgreementVersions.Add(draft);
        await session.RecordAsync(AuditAction.Create, $"admin.agreement version {number} drafted from version {current?.Number.ToString() ?? "none"}", ct);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>Field messages for the posted draft; the rules it would hold when there are none.</summary>
    public async Task<(Dictionary<string, string> Errors, HashSet<RuleKey> Rules)> ValidateAsync(DraftInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length == 0)
            errors["Title"] = "Enter a title for this version";
        else if (title.Length > MaxTitleLength)
            errors["Title"] = $"The title must be {MaxTitleLength} characters or fewer";
        if ((input.Summary?.Trim().Length ?? 0) > MaxSummaryLength)
            errors["Summary"] = $"The summary of changes must be {MaxSummaryLength} characters or fewer";

        var categories = (await CategoriesAsync(ct)).ToDictionary(c => c.Code);
        var rules = new HashSet<RuleKey>();
        foreach (var value in input.Allowed)
        {
            if (!RuleKey.TryParse(value, out var key) || !categories.ContainsKey(key.CategoryCode))
            {
                errors.TryAdd("rules", "The form held a rule Waypoint does not know. Reload the page and try again");
                continue;
            }
            rules.Add(key);
        }
        foreach (var category in categories.Values.Where(c => c.RestrictedTo is not null))
        {
            var leaks = rules.Where(r => r.CategoryCode == category.Code && SharingMatrix.IsForbidden(category, r.ReaderType))
                .Select(r => Labels.Of(r.ReaderType).ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
            if (leaks.Count > 0)
                errors[$"category-{category.Code}"] = $"{category.Name} may only ever be seen by {Labels.Of(category.RestrictedTo!.Value).ToLowerInvariant()}: it cannot flow to {string.Join(", ", leaks)}";
        }
        return (errors, rules);
    }

    /// <summary>Replaces the draft's title, summary and rules; the caller has validated them.</summary>
    public async Task SaveAsync(SharingAgreementVersion draft, DraftInput input, IReadOnlySet<RuleKey> rules, CancellationToken ct)
    {
        if (draft.InForceFrom is not null || draft.IsCurrent)
            throw new InvalidOperationException("A version that has been in force is never edited.");
        draft.Title = input.Title!.Trim();
        draft.Summary = string.IsNullOrWhiteSpace(input.Summary) ? null : input.Summary.Trim();
        var existing = draft.Rules.ToDictionary(RuleKey.Of);
        foreach (var (key, rule) in existing.Where(e => !rules.Contains(e.Key)))
            draft.Rules.Remove(rule);
        // Added to the set, not the draft's collection: a new rule carries its own Guid, and EF takes an
        // entity with a key found through a navigation for one that exists (an UPDATE of nothing).
        foreach (var key in rules.Where(k => !existing.ContainsKey(k)))
            db.SharingRules.Add(new SharingRule { AgreementVersionId = draft.Id, OwnerType = key.OwnerType, ReaderType = key.ReaderType, CategoryCode = key.CategoryCode });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Saves and publishes the draft in one transaction: it becomes the version in force from now,
    /// and the version before it stays, unchanged, as history. False when someone else published
    /// or discarded it first.
    /// </summary>
    public async Task<bool> PublishAsync(SharingAgreementVersion draft, DraftInput input, IReadOnlySet<RuleKey> rules, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int? previous;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await SaveAsync(draft, input, rules, ct);
            // Conditional, so that two administrators publishing at once cannot both succeed.
            var published = await db.SharingAgreementVersions
                .Where(v => v.Id == draft.Id && v.InForceFrom == null && !v.IsCurrent)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.IsCurrent, true).SetProperty(v => v.InForceFrom, now), ct);
            if (published != 1)
                return false;
            previous = await db.SharingAgreementVersions.Where(v => v.IsCurrent && v.Id != draft.Id).Select(v => (int?)v.Number).FirstOrDefaultAsync(ct);
            await db.SharingAgreementVersions.Where(v => v.IsCurrent && v.Id != draft.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.IsCurrent, false), ct);
            // The publication's audit row commits with it (a save with nothing but the staged row).
            await session.RecordAsync(AuditAction.Update, $"admin.agreement version {draft.Number} published, replacing version {previous?.ToString() ?? "none"}", ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.Entry(draft).State = EntityState.Detached;
        return true;
    }

    /// <summary>Throws away the draft; nothing in force changes.</summary>
    public async Task DiscardAsync(SharingAgreementVersion draft, CancellationToken ct)
    {
        if (draft.InForceFrom is not null || draft.IsCurrent)
            throw new InvalidOperationException("A version that has been in force is never removed.");
        db.SharingAgreementVersions.Remove(draft);
        await session.RecordAsync(AuditAction.Delete, $"admin.agreement version {draft.Number} draft discarded", ct);
        await db.SaveChangesAsync(ct);
    }
}

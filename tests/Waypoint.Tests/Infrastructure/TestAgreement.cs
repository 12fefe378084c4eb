using Microsoft.EntityFrameworkCore;
using Waypoint.Domain;

namespace Waypoint.Tests.Infrastructure;

/// <summary>
/// Changes the app's sharing agreement as the product does: a new version published in place of the one in force,
/// never the rules of a version in force edited (the access policy keeps each version's pairs by its id: AgreementPairs).
/// </summary>
public static class TestAgreement
{
    /// <summary>Publishes a copy of the version in force without the rules <paramref name="drop"/> names.</summary>
    public static Task PublishWithoutAsync(WaypointApp app, Func<SharingRule, bool> drop) =>
        PublishAsync(app, current => current.Where(r => !drop(r)).Select(Of));

    /// <summary>Publishes a copy of the version in force with <paramref name="added"/> rules too.</summary>
    public static Task PublishWithAsync(WaypointApp app, params (OrganisationType Owner, OrganisationType Reader, string Category)[] added) =>
        PublishAsync(app, current => current.Select(Of).Concat(added));

    /// <summary>Publishes a version of exactly <paramref name="rules"/> (each once) in place of the one in force.</summary>
    public static Task PublishAsync(WaypointApp app, IEnumerable<(OrganisationType Owner, OrganisationType Reader, string Category)> rules)
    {
        var exactly = rules.ToList();
        return PublishAsync(app, _ => exactly);
    }

    private static (OrganisationType Owner, OrganisationType Reader, string Category) Of(SharingRule r) => (r.OwnerType, r.ReaderType, r.CategoryCode);

    /// <summary>The one publishing step: the version in force stops being current and a new one, numbered next, takes its place.</summary>
    private static Task PublishAsync(WaypointApp app, Func<IReadOnlyList<SharingRule>, IEnumerable<(OrganisationType Owner, OrganisationType Reader, string Category)>> rulesFrom) =>
        app.AsSystemAsync(async db =>
        {
            var current = await db.SharingAgreementVersions.AsNoTracking().Include(v => v.Rules).SingleAsync(v => v.IsCurrent);
            var number = await db.SharingAgreementVersions.MaxAsync(v => v.Number) + 1;
            var rules = rulesFrom(current.Rules.ToList()).Distinct().ToList();
            await db.SharingAgreementVersions.Where(v => v.IsCurrent).ExecuteUpdateAsync(s => s.SetProperty(v => v.IsCurrent, false));
            db.SharingAgreementVersions.Add(new SharingAgreementVersion
            {
                Number = number,
                Title = $"Test version {number}",
                CreatedAt = DateTimeOffset.UtcNow,
                InForceFrom = DateTimeOffset.UtcNow,
                IsCurrent = true,
                Rules = rules.Select(r => new SharingRule { OwnerType = r.Owner, ReaderType = r.Reader, CategoryCode = r.Category }).ToList(),
            });
            await db.SaveChangesAsync();
        });
}

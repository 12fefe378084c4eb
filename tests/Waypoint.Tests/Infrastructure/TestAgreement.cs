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
        PublishAsync(app, rules => rules.Where(r => !drop(r)));

    /// <summary>Publishes a copy of the version in force with a rule added (one a test removed earlier, say).</summary>
    public static Task PublishWithAsync(WaypointApp app, OrganisationType owner, OrganisationType reader, string category) =>
        PublishAsync(app, rules => rules.Append(new SharingRule { OwnerType = owner, ReaderType = reader, CategoryCode = category }));

    private static Task PublishAsync(WaypointApp app, Func<IEnumerable<SharingRule>, IEnumerable<SharingRule>> rulesOf) =>
        app.AsSystemAsync(async db =>
        {
            var current = await db.SharingAgreementVersions.AsNoTracking().Include(v => v.Rules).SingleAsync(v => v.IsCurrent);
            var number = await db.SharingAgreementVersions.MaxAsync(v => v.Number) + 1;
            await db.SharingAgreementVersions.Where(v => v.IsCurrent).ExecuteUpdateAsync(s => s.SetProperty(v => v.IsCurrent, false));
            db.SharingAgreementVersions.Add(new SharingAgreementVersion
            {
                Number = number,
                Title = $"Test version {number}",
                CreatedAt = DateTimeOffset.UtcNow,
                InForceFrom = DateTimeOffset.UtcNow,
                IsCurrent = true,
                Rules = rulesOf(current.Rules.Select(r => new SharingRule { OwnerType = r.OwnerType, ReaderType = r.ReaderType, CategoryCode = r.CategoryCode })).ToList(),
            });
            await db.SaveChangesAsync();
        });
}

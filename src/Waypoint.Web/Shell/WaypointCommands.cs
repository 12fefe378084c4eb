using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Features.Demo;

namespace Waypoint.Shell;

/// <summary>
/// Maintenance commands on the same configuration as the web host:
/// <c>migrate</c>, <c>verify-audit</c>, <c>generate --scale demo|county|million</c>, and
/// <c>alerts evaluate</c> (the early-warning rules over every pupil, as the daily run does), and
/// <c>rebuild-rollups</c> (the evidence rollups counted again from the raw rows).
/// </summary>
public static class WaypointCommands
{
    public static async Task<int> RunAsync(WebApplication app, string command, string[] args)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false, ct);
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("maintenance command run by an operator on the server");
        switch (command)
        {
            case "migrate":
                Console.WriteLine(string.IsNullOrWhiteSpace(app.Configuration.GetConnectionString(DatabaseInitialiser.OwnerConnectionStringName))
                    ? "Database migrated and reference data in place."
                    : "Database migrated as the owner role, the app's role granted insert and select only on the audit log, and reference data in place.");
                return 0;
            case "verify-audit":
                {
                    var result = await scope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync(ct);
                    var anchors = result.LastAnchor is { } last
                        ? $"{result.AnchorsChecked} anchors checked, the last at {last.At:yyyy-MM-dd HH:mm:ss} UTC (entry {last.Id})"
                        : "no anchors on file yet";
                    Console.WriteLine(result.IsIntact
                        ? $"Audit chain intact: {result.EntriesChecked} entries verified with the audit key; {anchors}."
                        : $"Audit chain BROKEN at entry {result.FirstBrokenId}: {result.Problem} ({result.EntriesChecked} entries verified before it; {anchors}).");
                    if (result.AnchorsUnverifiable > 0)
                        Console.WriteLine($"{result.AnchorsUnverifiable} line(s) of the anchor file are not signed by a key this server holds and were not trusted.");
                    return result.IsIntact ? 0 : 2;
                }
            case "archive-audit":
                {
                    var archiver = scope.ServiceProvider.GetRequiredService<AuditArchiver>();
                    DateOnly? before = null;
                    if (ArgValue(args, "--before") is { } value)
                    {
                        if (!DateOnly.TryParseExact(value, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var month))
                        {
                            Console.Error.WriteLine($"--before must be a month such as 2025-01; got '{value}'.");
                            return 1;
                        }
                        before = month;
                    }
                    var run = await archiver.ArchiveAsync(null, before, ct);
                    Console.WriteLine(run.Archived.Count == 0
                        ? $"Nothing to archive: every audit entry is from {(before ?? archiver.FirstLiveMonth()):MMMM yyyy} or later."
                        : $"Archived {run.Archived.Count} month(s), {run.Entries:N0} entries: {string.Join(", ", run.Archived.Select(p => p.Label))}.");
                    return 0;
                }
            case "generate":
                {
                    var scaleArg = ArgValue(args, "--scale") ?? "demo";
                    if (!Enum.TryParse<DemoScale>(scaleArg, ignoreCase: true, out var scale))
                    {
                        Console.Error.WriteLine($"--scale must be one of: {string.Join(", ", Enum.GetNames<DemoScale>()).ToLowerInvariant()}; got '{scaleArg}'.");
                        return 1;
                    }
                    var seeder = scope.ServiceProvider.GetRequiredService<DemoPartnershipSeeder>();
                    var seeded = await seeder.SeedIfEmptyAsync(scale, ct);
                    Console.WriteLine(seeded ? $"Generated the {scale} data set." : "The database already holds a partnership; nothing generated.");
                    return 0;
                }
            case "create-admin":
                return await CreateAdminAsync(scope.ServiceProvider, args, ct);
            case "import":
                return await ImportAsync(scope.ServiceProvider, args, Console.Out, Console.Error, ct);
            case "alerts" when args is ["evaluate"]:
                {
                    var raised = await scope.ServiceProvider.GetRequiredService<Features.Alerts.AlertEvaluator>().EvaluateEveryoneAsync(ct);
                    Console.WriteLine($"Early-warning rules evaluated for every pupil with recent school records: {raised} new alert{(raised == 1 ? "" : "s")} raised.");
                    return 0;
                }
            case "alerts":
                Console.Error.WriteLine("Usage: alerts evaluate");
                return 1;
            case "police-import":
                return await Features.Police.PoliceCommands.ImportAsync(scope.ServiceProvider, args, Console.Out, Console.Error, ct);
            case "street-crime-import":
                return await Features.Police.PoliceCommands.StreetCrimeAsync(scope.ServiceProvider, args, Console.Out, Console.Error, ct);
            case "services-import":
                return await Features.Services.DirectoryCommands.ImportAsync(scope.ServiceProvider, args, Console.Out, Console.Error, ct);
            case "risk":
                return await Features.Police.PoliceCommands.RiskAsync(scope.ServiceProvider, args, Console.Out, Console.Error, ct);
            case "rebuild-rollups":
                var rebuilt = await Features.Evidence.ExclusionRollups.RebuildCommandAsync(scope.ServiceProvider, Console.Out, ct);
                return rebuilt != 0 ? rebuilt : await Features.Evidence.OutcomeRollups.RebuildCommandAsync(scope.ServiceProvider, Console.Out, ct);
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: {string.Join(", ", WaypointOptions.Commands)}.");
                return 1;
        }
    }

    /// <summary>
    /// Applies one school file at once, as the system (the audit says so): for bulk loads and for
    /// management information systems that export on a schedule. Exit code 0 when applied, 2 when
    /// the file was rejected (nothing changed), 1 for a wrong command.
    /// </summary>
    internal static async Task<int> ImportAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var urn = ArgValue(args, "--school");
        var kindArg = ArgValue(args, "--kind");
        var path = args.LastOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != urn && a != kindArg);
        var kinds = string.Join(", ", Features.Schools.Imports.ImportLabels.Kinds);
        if (urn is null || kindArg is null || path is null || !Enum.TryParse<Domain.ImportKind>(kindArg, ignoreCase: true, out var kind) || int.TryParse(kindArg, out _)
            || !Features.Schools.Imports.ImportLabels.IsSchoolKind(kind))
        {
            errors.WriteLine($"Usage: import --school <URN> --kind <{kinds}> <file>");
            return 1;
        }
        if (!File.Exists(path))
        {
            errors.WriteLine($"{path}: no such file.");
            return 1;
        }
        var db = services.GetRequiredService<WaypointDbContext>();
        var school = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Type == Domain.OrganisationType.School && o.Urn == urn, ct);
        if (school is null)
        {
            errors.WriteLine($"No school with URN {urn} is in the partnership.");
            return 1;
        }
        await using var file = File.OpenRead(path);
        var outcome = await services.GetRequiredService<Features.Schools.Imports.ImportApplier>()
            .ApplyAsync(kind, file, Path.GetFileName(path), school.Id, null, ct);
        if (outcome.Summary is { } summary)
        {
            output.WriteLine($"{Path.GetFileName(path)} imported for {school.Name}: {summary.Rows:N0} rows, {summary.PupilsMatched:N0} pupils matched, {summary.PupilsAdded:N0} added to the register.");
            foreach (var r in summary.Records)
                output.WriteLine($"  {r.Records}: {r.Added:N0} added, {r.Changed:N0} changed, {r.Unchanged:N0} unchanged");
            if (summary.PupilsAwaitingReview > 0)
                output.WriteLine($"  {summary.PupilsAwaitingReview:N0} pupil{(summary.PupilsAwaitingReview == 1 ? "" : "s")} waiting for the school's review (not applied):");
            foreach (var note in summary.Notes ?? [])
                output.WriteLine($"  {note}");
            return 0;
        }
        errors.WriteLine($"{Path.GetFileName(path)} was not imported: nothing was changed. Correct {(outcome.Problems.Count == 1 ? "this problem" : $"these {outcome.Problems.Count} problems")} and send the whole file again:");
        foreach (var problem in outcome.Problems)
            errors.WriteLine($"  {problem}");
        return 2;
    }

    /// <summary>
    /// The first partnership administrator of a new installation (no demo data): creates the
    /// county and the partnership's own organisation if there are none yet, and prints a one-time
    /// password. The administrator enrols an authenticator at first sign-in.
    /// </summary>
    private static async Task<int> CreateAdminAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var email = ArgValue(args, "--email");
        var name = ArgValue(args, "--name");
        var organisationName = ArgValue(args, "--organisation") ?? "Safeguarding Partnership";
        var countyName = ArgValue(args, "--county") ?? "County";
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@') || string.IsNullOrWhiteSpace(name))
        {
            Console.Error.WriteLine("Usage: create-admin --email someone@example.org --name \"Full Name\" [--organisation \"Name\"] [--county \"Name\"]");
            return 1;
        }
        var db = services.GetRequiredService<WaypointDbContext>();
        var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Identity.WaypointUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            Console.Error.WriteLine($"An account with the email {email} already exists.");
            return 1;
        }
        var county = await db.Areas.FirstOrDefaultAsync(a => a.Kind == Domain.AreaKind.County, ct);
        if (county is null)
        {
            county = new Domain.Area { Name = countyName, Kind = Domain.AreaKind.County };
            db.Areas.Add(county);
        }
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Name == organisationName, ct);
        if (organisation is null)
        {
            organisation = new Domain.Organisation { Name = organisationName, Type = Domain.OrganisationType.LocalAuthorityTeam, AreaId = county.Id };
            db.Organisations.Add(organisation);
        }
        await db.SaveChangesAsync(ct);

        var password = OneTimePassword();
        var user = new Identity.WaypointUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            OrganisationId = organisation.Id,
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
            created = await users.AddToRoleAsync(user, Identity.Roles.PartnershipAdmin);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, created.Errors.Select(e => e.Description)));
            return 1;
        }
        Console.WriteLine($"Partnership administrator {email} created in {organisation.Name}.");
        Console.WriteLine($"One-time password: {password}");
        Console.WriteLine("Sign in with it and set up an authenticator app when asked; then change the password.");
        return 0;
    }

    private static string OneTimePassword()
    {
        // Four random words' worth of entropy without a word list: 20 characters from an unambiguous alphabet.
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20);
        return string.Create(23, bytes, (span, b) =>
        {
            var j = 0;
            for (var i = 0; i < 20; i++)
            {
                if (i > 0 && i % 5 == 0)
                    span[j++] = '-';
                span[j++] = alphabet[b[i] % alphabet.Length];
            }
        });
    }

    private static string? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Users;

/// <summary>What an administrator enters to open an account.</summary>
public sealed class NewUserInput
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? JobTitle { get; set; }
    public Guid? OrganisationId { get; set; }
    public List<string> Roles { get; set; } = [];
    public string? Password { get; set; }
}

/// <summary>A partnership-wide function to give: hub triage or inclusion officer over an area, between two dates.</summary>
public sealed class NewFunctionInput
{
    public PartnershipFunction? Function { get; set; }
    public Guid? AreaId { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}

public sealed record UserOutcome(Guid? UserId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static UserOutcome Failed(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}

/// <summary>
/// Accounts, as an administrator manages them. A partnership administrator reaches every account;
/// an organisation administrator only their own organisation's, and never the roles that reach
/// beyond it (partnership administrator, data-protection officer) nor the accounts holding them.
/// Every change is audited, and every change to what an account may do renews its security
/// stamp, which ends its sessions and tokens at once (ReaderMiddleware checks it on each request).
/// </summary>
public sealed class UserAdministration(WaypointDbContext db, UserManager<WaypointUser> users, AdminSession session, TimeProvider clock)
{
    public const int MaxNameLength = 120;
    public const int MaxEmailLength = 256;

    /// <summary>Roles only a partnership administrator may grant or take away.</summary>
    public static readonly IReadOnlySet<string> PartnershipOnlyRoles = new HashSet<string>(StringComparer.Ordinal) { Roles.PartnershipAdmin, Roles.DataProtectionOfficer };

    public static IReadOnlyList<string> GrantableRoles(Administrator admin) =>
        admin.IsPartnershipAdmin ? Roles.All : Roles.All.Where(r => !PartnershipOnlyRoles.Contains(r)).ToList();

    /// <summary>The accounts the administrator may see at all; any other is a 404 to them.</summary>
    public IQueryable<WaypointUser> Visible(Administrator admin) =>
        admin.IsPartnershipAdmin ? db.Users : db.Users.Where(u => u.OrganisationId == admin.OrganisationId);

    public Task<WaypointUser?> FindAsync(Administrator admin, Guid id, CancellationToken ct) =>
        Visible(admin).Include(u => u.Organisation).FirstOrDefaultAsync(u => u.Id == id, ct);

    public async Task<IReadOnlyList<string>> RolesOfAsync(Guid userId, CancellationToken ct) =>
        await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!).ToListAsync(ct);

    /// <summary>Why the administrator may look at this account but not change it, or null when they may.</summary>
    public static string? WhyNotChangeable(Administrator admin, WaypointUser target, IReadOnlyCollection<string> targetRoles)
    {
        if (target.Id == admin.UserId)
            return "This is your own account. Another administrator must change its roles, deactivate it or reset its authenticator";
        if (!admin.IsPartnershipAdmin && targetRoles.FirstOrDefault(PartnershipOnlyRoles.Contains) is { } role)
            return $"Only a partnership administrator can change this account, because it holds the {Roles.Describe(role).ToLowerInvariant()} role";
        return null;
    }

    public async Task<UserOutcome> CreateAsync(Administrator admin, NewUserInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var email = input.Email?.Trim() ?? "";
        if (email.Length == 0)
            errors["Email"] = "Enter the person's work email address";
        else if (email.Length > MaxEmailLength)
            errors["Email"] = $"The email address must be {MaxEmailLength} characters or fewer";
        else if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('@', StringComparison.Ordinal))
            errors["Email"] = "Enter an email address in the correct format, like name@example.org";

        var name = input.DisplayName?.Trim() ?? "";
        if (name.Length == 0)
            errors["DisplayName"] = "Enter the person's name";
        else if (name.Length > MaxNameLength)
            errors["DisplayName"] = $"The name must be {MaxNameLength} characters or fewer";
        var jobTitle = input.JobTitle?.Trim();
        if (jobTitle?.Length > MaxNameLength)
            errors["JobTitle"] = $"The job title must be {MaxNameLength} characters or fewer";

        var organisationId = admin.IsPartnershipAdmin ? input.OrganisationId : input.OrganisationId ?? admin.OrganisationId;
        if (organisationId is not { } orgId)
            errors["OrganisationId"] = "Select the organisation the person works for";
        else if (!admin.IsPartnershipAdmin && orgId != admin.OrganisationId)
            errors["OrganisationId"] = "You can add accounts only to your own organisation";
        else if (await db.Organisations.Where(o => o.Id == orgId).Select(o => (bool?)o.IsActive).FirstOrDefaultAsync(ct) is not { } active)
            errors["OrganisationId"] = "Select an organisation from the list";
        else if (!active)
            errors["OrganisationId"] = "This organisation is deactivated: reactivate it before adding accounts";

        if (RolesError(admin, input.Roles) is { } rolesError)
            errors["Roles"] = rolesError;
        if (string.IsNullOrEmpty(input.Password))
            errors["Password"] = "Enter a first password for the account";
        if (errors.Count > 0)
            return new UserOutcome(null, errors);

        var user = new WaypointUser
        {
            UserName = email,
            Email = email,
            DisplayName = name,
            JobTitle = string.IsNullOrEmpty(jobTitle) ? null : jobTitle,
            OrganisationId = organisationId!.Value,
            CreatedAt = clock.GetUtcNow(),
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Identity checks the password against its validators (length, the deny list) and the email for uniqueness.
            var created = await users.CreateAsync(user, input.Password!);
            if (!created.Succeeded)
                return new UserOutcome(null, DescribeIdentityErrors(created));
            // Staged here, saved by the roles' save inside this transaction: the account and its audit row commit together.
            await session.RecordAsync(AuditAction.Create, $"admin.user {user.Id} created: {string.Join(", ", input.Roles.Distinct().Order())}", ct);
            Ensure(await users.AddToRolesAsync(user, input.Roles.Distinct()));
            await tx.CommitAsync(ct);
        }
        return new UserOutcome(user.Id, new Dictionary<string, string>());
    }

    public async Task<UserOutcome> SetRolesAsync(Administrator admin, WaypointUser target, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        var current = await RolesOfAsync(target.Id, ct);
        if (WhyNotChangeable(admin, target, current) is { } refusal)
            return UserOutcome.Failed("account", refusal);
        if (RolesError(admin, roles) is { } error)
            return UserOutcome.Failed("Roles", error);
        var added = roles.Except(current).Distinct().ToList();
        var removed = current.Except(roles).ToList();
        if (added.Count == 0 && removed.Count == 0)
            return new UserOutcome(target.Id, new Dictionary<string, string>());
        var change = string.Join(", ", added.Order().Select(r => "+" + r).Concat(removed.Order().Select(r => "-" + r)));
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await session.RecordAsync(AuditAction.Update, $"admin.user {target.Id} roles {change}", ct);
            if (added.Count > 0)
                Ensure(await users.AddToRolesAsync(target, added));
            if (removed.Count > 0)
                Ensure(await users.RemoveFromRolesAsync(target, removed));
            // Roles travel in the cookie and the token: a new stamp makes the change count now, not at next sign-in.
            Ensure(await users.UpdateSecurityStampAsync(target));
            await tx.CommitAsync(ct);
        }
        return new UserOutcome(target.Id, new Dictionary<string, string>());
    }

    public async Task<UserOutcome> DeactivateAsync(Administrator admin, WaypointUser target, CancellationToken ct)
    {
        if (WhyNotChangeable(admin, target, await RolesOfAsync(target.Id, ct)) is { } refusal)
            return UserOutcome.Failed("account", refusal);
        if (target.IsActive)
        {
            target.IsActive = false;
            target.DeactivatedAt = clock.GetUtcNow();
            // Saves the flag with the new stamp (and the staged audit row, in one transaction): every cookie and token of the account is refused from the next request.
            await session.RecordAsync(AuditAction.Update, $"admin.user {target.Id} deactivated", ct);
            Ensure(await users.UpdateSecurityStampAsync(target));
        }
        return new UserOutcome(target.Id, new Dictionary<string, string>());
    }

    public async Task<UserOutcome> ReactivateAsync(Administrator admin, WaypointUser target, CancellationToken ct)
    {
        if (WhyNotChangeable(admin, target, await RolesOfAsync(target.Id, ct)) is { } refusal)
            return UserOutcome.Failed("account", refusal);
        if (!target.IsActive)
        {
            target.IsActive = true;
            target.DeactivatedAt = null;
            await session.RecordAsync(AuditAction.Update, $"admin.user {target.Id} reactivated", ct);
            Ensure(await users.UpdateAsync(target));
        }
        return new UserOutcome(target.Id, new Dictionary<string, string>());
    }

    /// <summary>For a lost or replaced phone: the account must enrol a new authenticator at its next sign-in, and is signed out everywhere now.</summary>
    public async Task<UserOutcome> ResetAuthenticatorAsync(Administrator admin, WaypointUser target, CancellationToken ct)
    {
        if (WhyNotChangeable(admin, target, await RolesOfAsync(target.Id, ct)) is { } refusal)
            return UserOutcome.Failed("account", refusal);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await session.RecordAsync(AuditAction.Update, $"admin.user {target.Id} authenticator reset", ct);
            Ensure(await users.SetTwoFactorEnabledAsync(target, false));
            Ensure(await users.ResetAuthenticatorKeyAsync(target));
            Ensure(await users.UpdateSecurityStampAsync(target));
            await tx.CommitAsync(ct);
        }
        return new UserOutcome(target.Id, new Dictionary<string, string>());
    }

    public async Task<UserOutcome> AddFunctionAsync(Administrator admin, WaypointUser target, NewFunctionInput input, IReadOnlyDictionary<string, string> dateErrors, CancellationToken ct)
    {
        if (!admin.IsPartnershipAdmin)
            return UserOutcome.Failed("Function", "Only a partnership administrator can give partnership-wide functions");
        var errors = new Dictionary<string, string>(dateErrors);
        if (GrantRules.RefuseFunction(admin.UserId, target.Id, await RolesOfAsync(target.Id, ct)) is { } refused)
            return UserOutcome.Failed(refused.Field, refused.Message);
        if (input.Function is null)
            errors["Function"] = "Select the function";
        if (input.AreaId is not { } areaId)
            errors["AreaId"] = "Select the area the function covers";
        else if (!await db.Areas.AnyAsync(a => a.Id == areaId, ct))
            errors["AreaId"] = "Select an area from the list";
        foreach (var (field, message) in GrantRules.CheckPeriod(input.StartDate, input.EndDate, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            errors.TryAdd(field, message);
        if (errors.Count > 0)
            return new UserOutcome(null, errors);
        var grant = new PartnershipRoleGrant
        {
            UserId = target.Id,
            Function = input.Function!.Value,
            AreaId = input.AreaId!.Value,
            StartDate = input.StartDate!.Value,
            EndDate = input.EndDate,
        };
        db.PartnershipRoleGrants.Add(grant);
        await session.RecordAsync(AuditAction.Create, $"admin.user {target.Id} function {grant.Id} {grant.Function} over area {grant.AreaId} from {grant.StartDate:yyyy-MM-dd}{(grant.EndDate is { } e ? $" to {e:yyyy-MM-dd}" : "")}", ct);
        await db.SaveChangesAsync(ct);
        return new UserOutcome(target.Id, new Dictionary<string, string>());
    }

    /// <summary>Ends a function today: kept as history when it has run, removed when it has not yet started.</summary>
    public async Task<bool> EndFunctionAsync(Administrator admin, WaypointUser target, Guid grantId, CancellationToken ct)
    {
        if (!admin.IsPartnershipAdmin)
            return false;
        var grant = await db.PartnershipRoleGrants.FirstOrDefaultAsync(g => g.Id == grantId && g.UserId == target.Id, ct);
        if (grant is null)
            return false;
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        if (grant.StartDate > yesterday)
            db.PartnershipRoleGrants.Remove(grant);
        else if (grant.EndDate is null || grant.EndDate > yesterday)
            grant.EndDate = yesterday;
        await session.RecordAsync(AuditAction.Update, $"admin.user {target.Id} function {grant.Id} ended", ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string? RolesError(Administrator admin, IReadOnlyCollection<string> roles)
    {
        if (roles.Count == 0)
            return "Select at least one role";
        if (roles.Any(r => !Roles.All.Contains(r)))
            return "Select roles from the list";
        if (!admin.IsPartnershipAdmin && roles.FirstOrDefault(PartnershipOnlyRoles.Contains) is { } reserved)
            return $"Only a partnership administrator can grant the {Roles.Describe(reserved).ToLowerInvariant()} role";
        return null;
    }

    private static Dictionary<string, string> DescribeIdentityErrors(IdentityResult result)
    {
        var errors = new Dictionary<string, string>();
        foreach (var e in result.Errors)
        {
            var (field, message) = e.Code switch
            {
                "DuplicateEmail" or "DuplicateUserName" => ("Email", "There is already an account with this email address"),
                "InvalidEmail" or "InvalidUserName" => ("Email", "Enter an email address in the correct format, like name@example.org"),
                _ when e.Code.StartsWith("Password", StringComparison.Ordinal) => ("Password", e.Description),
                _ => ("Email", e.Description),
            };
            // Every password rule broken is worth knowing at once; one email message is enough.
            errors[field] = errors.TryGetValue(field, out var earlier) && field == "Password" ? $"{earlier} {message}" : errors.GetValueOrDefault(field, message);
        }
        return errors;
    }

    // Identity failures after validation has passed are bugs (or a database fault), not something to show on the page.
    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Account change failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}

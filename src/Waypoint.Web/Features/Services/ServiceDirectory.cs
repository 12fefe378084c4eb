using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Services;

/// <summary>A service as entered on the form or sent to the API: numbers as text, so that a wrong one is named rather than lost.</summary>
public sealed class ServiceInput
{
    public Guid? ProviderOrganisationId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? MinimumAge { get; set; }
    public string? MaximumAge { get; set; }
    public List<Guid> AreaIds { get; set; } = [];
    public List<Guid> NeedIds { get; set; } = [];
    public ServiceThreshold? Threshold { get; set; }
    public string? HowToRefer { get; set; }
    public string? Places { get; set; }
    public string? Occupied { get; set; }
    public string? WaitingList { get; set; }
    public string? Cost { get; set; }
    public string? ContactName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? OpeningTimes { get; set; }
    public ServiceQaStatus? QaStatus { get; set; }
    public DateInput LastReviewedOn { get; set; } = new();
    public DateInput NextReviewOn { get; set; } = new();
    public ApRegistration? ApRegistration { get; set; }
    public string? OfstedUrn { get; set; }

    public static ServiceInput From(Service s) => new()
    {
        ProviderOrganisationId = s.ProviderOrganisationId,
        Name = s.Name,
        Description = s.Description,
        MinimumAge = s.MinimumAge?.ToString(),
        MaximumAge = s.MaximumAge?.ToString(),
        AreaIds = s.Areas.Select(a => a.AreaId).ToList(),
        NeedIds = s.Needs.Select(n => n.TaxonomyTermId).ToList(),
        Threshold = s.Threshold,
        HowToRefer = s.HowToRefer,
        Places = s.Places.ToString(),
        Occupied = s.Occupied.ToString(),
        WaitingList = s.WaitingList.ToString(),
        Cost = s.Cost,
        ContactName = s.ContactName,
        Email = s.Email,
        Phone = s.Phone,
        Website = s.Website,
        OpeningTimes = s.OpeningTimes,
        QaStatus = s.QaStatus,
        LastReviewedOn = DateInput.From(s.LastReviewedOn),
        NextReviewOn = DateInput.From(s.NextReviewOn),
        ApRegistration = s.ApRegistration,
        OfstedUrn = s.OfstedUrn,
    };
}

/// <summary>What the directory search asks for; every filter given must hold (AND).</summary>
public sealed record ServiceSearch(string? Text = null, Guid? NeedId = null, int? Age = null, Guid? AreaId = null, bool HasPlaces = false);

public sealed record ServiceSummary(Guid Id, string Name, string Provider, int? MinimumAge, int? MaximumAge, ServiceThreshold Threshold,
    ServiceQaStatus QaStatus, int Places, int Occupied, int WaitingList, IReadOnlyList<string> Needs);

/// <summary>
/// The partnership's directory of services: who may change it, its search and its checked writes.
/// The directory names no person. Changes are administration, audited with no person.
/// </summary>
public sealed partial class ServiceDirectory(WaypointDbContext db, CurrentUserSummary current, AuditTrail audit, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public IQueryable<Service> Services => db.Set<Service>();

    /// <summary>
    /// Whether the reader keeps the whole directory: a partnership administrator, or the inclusion
    /// team (a current inclusion-officer function), who commission and quality-assure services.
    /// </summary>
    public async Task<bool> ReaderMaintainsDirectoryAsync(CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem)
            return true;
        if (reader.AggregatesOnly || reader.UserId == Guid.Empty)
            return false;
        if ((await current.GetAsync())?.IsPartnershipAdmin == true)
            return true;
        var today = Today;
        return await db.PartnershipRoleGrants.AsNoTracking().AnyAsync(g => g.UserId == reader.UserId && g.Function == PartnershipFunction.InclusionOfficer
            && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today), ct);
    }

    /// <summary>Whether the reader may change this provider's services: the directory's keepers, or the provider's own organisation administrator.</summary>
    public async Task<bool> MayEditAsync(Guid providerOrganisationId, CancellationToken ct)
    {
        if (await ReaderMaintainsDirectoryAsync(ct))
            return true;
        var user = await current.GetAsync();
        return user is { IsOrganisationAdmin: true } && user.OrganisationId == providerOrganisationId;
    }

    /// <summary>Whether the reader may add services at all (for their own organisation at least).</summary>
    public async Task<bool> MayAddAsync(CancellationToken ct) =>
        await ReaderMaintainsDirectoryAsync(ct) || (await current.GetAsync())?.IsOrganisationAdmin == true;

    /// <summary>The organisations the reader may add services for.</summary>
    public async Task<List<(Guid Id, string Name)>> ProvidersAsync(CancellationToken ct)
    {
        var all = await ReaderMaintainsDirectoryAsync(ct);
        if (!all && !await MayAddAsync(ct))
            return [];
        var own = db.Reader.OrganisationId;
        var rows = await db.Organisations.AsNoTracking().Where(o => o.IsActive && (all || o.Id == own))
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    public async Task<List<(Guid Id, string Name)>> NeedsAsync(CancellationToken ct) =>
        (await db.Set<TaxonomyTerm>().AsNoTracking().Where(t => t.TaxonomyId == NeedsTaxonomy.Id).OrderBy(t => t.Name)
            .Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();

    public async Task<List<(Guid Id, string Name, AreaKind Kind)>> AreasAsync(CancellationToken ct) =>
        (await db.Areas.AsNoTracking().OrderBy(a => a.Kind).ThenBy(a => a.Name).Select(a => new { a.Id, a.Name, a.Kind }).ToListAsync(ct))
            .Select(a => (a.Id, a.Name, a.Kind)).ToList();

    /// <summary>The area and every area it sits in: a service covering a district covers each of its wards.</summary>
    public async Task<List<Guid>> AreaAndParentsAsync(Guid areaId, CancellationToken ct)
    {
        var parents = await db.Areas.AsNoTracking().Select(a => new { a.Id, a.ParentId }).ToDictionaryAsync(a => a.Id, a => a.ParentId, ct);
        var chain = new List<Guid>();
        Guid? at = areaId;
        while (at is { } id && parents.ContainsKey(id) && !chain.Contains(id))
        {
            chain.Add(id);
            at = parents[id];
        }
        return chain;
    }

    /// <summary>Applies the filters of a search to a set of services (the directory's and the feed's).</summary>
    public async Task<IQueryable<Service>> FilterAsync(IQueryable<Service> services, ServiceSearch search, CancellationToken ct)
    {
        // PostgreSQL refuses a NUL in a text parameter (a 500): it can match nothing, so it goes.
        if (search.Text?.Replace("\0", "") is { } typed && !string.IsNullOrWhiteSpace(typed))
        {
            var text = typed.Trim().ToLowerInvariant();
            services = services.Where(s => s.Name.ToLower().Contains(text) || s.Description.ToLower().Contains(text) || s.ProviderOrganisation!.Name.ToLower().Contains(text));
        }
        if (search.NeedId is { } need)
            services = services.Where(s => s.Needs.Any(n => n.TaxonomyTermId == need));
        if (search.Age is { } age)
            services = services.Where(s => (s.MinimumAge == null || s.MinimumAge <= age) && (s.MaximumAge == null || s.MaximumAge >= age));
        if (search.AreaId is { } area)
        {
            var covering = await AreaAndParentsAsync(area, ct);
            services = services.Where(s => s.Areas.Any(a => covering.Contains(a.AreaId)));
        }
        if (search.HasPlaces)
            services = services.Where(s => s.Places > s.Occupied);
        return services;
    }

    public async Task<List<ServiceSummary>> SearchAsync(ServiceSearch search, CancellationToken ct)
    {
        var filtered = await FilterAsync(Services.AsNoTracking(), search, ct);
        return await filtered.OrderBy(s => s.Name).ThenBy(s => s.Id)
            .Select(s => new ServiceSummary(s.Id, s.Name, s.ProviderOrganisation!.Name, s.MinimumAge, s.MaximumAge, s.Threshold, s.QaStatus,
                s.Places, s.Occupied, s.WaitingList, s.Needs.Select(n => n.Term!.Name).OrderBy(n => n).ToList()))
            .ToListAsync(ct);
    }

    public Task<Service?> FindAsync(Guid id, CancellationToken ct) =>
        Services.Include(s => s.ProviderOrganisation).Include(s => s.Areas).ThenInclude(a => a.Area).Include(s => s.Needs).ThenInclude(n => n.Term)
            .AsSplitQuery().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Adds a service, or refuses with a message per field. The reader must be allowed to edit the provider's services.</summary>
    public async Task<(Service? Service, Dictionary<string, string> Errors)> CreateAsync(ServiceInput input, CancellationToken ct)
    {
        var service = new Service { Name = "", Description = "", HowToRefer = "", CreatedAt = clock.GetUtcNow() };
        var errors = await ApplyAsync(service, input, ct);
        if (errors.Count > 0)
            return (null, errors);
        db.Add(service);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Create, $"service {service.Id} added", await BasisAsync(ct)), ct);
        await db.SaveChangesAsync(ct);
        return (service, errors);
    }

    /// <summary>Changes a service; a provider may not be moved to one the reader does not run.</summary>
    public async Task<Dictionary<string, string>> UpdateAsync(Service service, ServiceInput input, CancellationToken ct)
    {
        var errors = await ApplyAsync(service, input, ct);
        if (errors.Count > 0)
            return errors;
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, $"service {service.Id} changed", await BasisAsync(ct)), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Suspends a service: it takes no referrals and leaves the public feed until reviewed again.</summary>
    public async Task SuspendAsync(Service service, CancellationToken ct)
    {
        service.QaStatus = ServiceQaStatus.Suspended;
        Touch(service);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, $"service {service.Id} suspended", await BasisAsync(ct)), ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(Service service, CancellationToken ct)
    {
        db.Remove(service);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Delete, $"service {service.Id} removed", await BasisAsync(ct)), ct);
        await db.SaveChangesAsync(ct);
    }

    internal async Task<string> BasisAsync(CancellationToken ct) =>
        db.Reader.IsSystem ? "operator command"
        : (await current.GetAsync())?.IsPartnershipAdmin == true ? "partnership admin"
        : await ReaderMaintainsDirectoryAsync(ct) ? "inclusion officer" : "organisation admin";

    internal void Touch(Service service)
    {
        service.UpdatedAt = clock.GetUtcNow();
        service.UpdatedByUserId = db.Reader.IsSystem ? null : db.Reader.UserId;
    }

    /// <summary>What a write checks against, read once for a whole import file rather than once a line.</summary>
    internal sealed record Lookups(IReadOnlyList<(Guid Id, string Name)> Providers, IReadOnlySet<Guid> Areas, IReadOnlySet<Guid> Needs);

    internal async Task<Lookups> LookupsAsync(CancellationToken ct) => new(
        await ProvidersAsync(ct),
        (await db.Areas.AsNoTracking().Select(a => a.Id).ToListAsync(ct)).ToHashSet(),
        (await db.Set<TaxonomyTerm>().AsNoTracking().Select(t => t.Id).ToListAsync(ct)).ToHashSet());

    /// <summary>Checks an input and, when it is sound, copies it onto the service (nothing is saved); the errors are keyed by <see cref="ServiceInput"/>'s property names.</summary>
    internal async Task<Dictionary<string, string>> ApplyAsync(Service service, ServiceInput input, CancellationToken ct, Lookups? lookups = null)
    {
        var errors = new Dictionary<string, string>();
        lookups ??= await LookupsAsync(ct);
        var providers = lookups.Providers;
        if (input.ProviderOrganisationId is not { } providerId || providers.All(p => p.Id != providerId))
            errors["ProviderOrganisationId"] = "Select the organisation that provides the service";
        var name = Text(input.Name, "Name", "Enter the service's name", Service.MaxNameLength, errors);
        var description = Text(input.Description, "Description", "Describe the service: what it does and for whom", Service.MaxDescriptionLength, errors);
        var howToRefer = Text(input.HowToRefer, "HowToRefer", "Say how to refer to the service", Service.MaxHowToReferLength, errors);
        var min = Number(input.MinimumAge, "MinimumAge", "Minimum age", 0, Service.MaxAge, errors);
        var max = Number(input.MaximumAge, "MaximumAge", "Maximum age", 0, Service.MaxAge, errors);
        if (min is { } lo && max is { } hi && hi < lo)
            errors["MaximumAge"] = $"The maximum age ({hi}) must be the same as or more than the minimum age ({lo})";
        var places = Number(input.Places, "Places", "Places", 0, 10000, errors, required: true);
        var occupied = Number(input.Occupied, "Occupied", "Places taken", 0, 10000, errors) ?? 0;
        var waiting = Number(input.WaitingList, "WaitingList", "Waiting list", 0, 10000, errors) ?? 0;
        if (places is { } p && occupied > p && !errors.ContainsKey("Occupied"))
            errors["Occupied"] = $"Places taken ({occupied}) cannot be more than the places ({p})";
        if (input.Threshold is not { } threshold || !Enum.IsDefined(threshold))
            errors["Threshold"] = "Select the level of need the service is for";
        if (input.QaStatus is not { } qa || !Enum.IsDefined(qa))
            errors["QaStatus"] = "Select the quality assurance status";
        var registration = input.ApRegistration is { } r && Enum.IsDefined(r) ? r : Domain.ApRegistration.NotApplicable;
        var urn = input.OfstedUrn?.Trim();
        if (string.IsNullOrEmpty(urn))
        {
            urn = null;
            if (registration == Domain.ApRegistration.Registered)
                errors["OfstedUrn"] = "Enter the Ofsted URN of a registered provider (6 or 7 digits)";
        }
        else if (!UrnPattern().IsMatch(urn))
            errors["OfstedUrn"] = "The Ofsted URN must be 6 or 7 digits";
        var range = new DateRange(new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31));
        var (last, lastError) = input.LastReviewedOn.Read("Date of the last review", range);
        var (next, nextError) = input.NextReviewOn.Read("Date of the next review", range);
        if (lastError is not null)
            errors["LastReviewedOn"] = lastError;
        else if (last > Today)
            errors["LastReviewedOn"] = "The date of the last review cannot be in the future";
        if (nextError is not null)
            errors["NextReviewOn"] = nextError;
        else if (last is { } l && next is { } n && n <= l)
            errors["NextReviewOn"] = "The next review must be after the last review";
        var cost = Optional(input.Cost, "Cost", Service.MaxShortTextLength, errors);
        var contact = Optional(input.ContactName, "ContactName", Service.MaxNameLength, errors);
        var email = Optional(input.Email, "Email", Service.MaxNameLength, errors);
        if (email is not null && !EmailPattern().IsMatch(email))
            errors["Email"] = "Enter an email address in the correct format, like referrals@example.org";
        var phone = Optional(input.Phone, "Phone", 40, errors);
        if (phone is not null && !PhonePattern().IsMatch(phone))
            errors["Phone"] = "Enter a telephone number, like 01632 960 001";
        var website = Optional(input.Website, "Website", Service.MaxShortTextLength, errors);
        if (website is not null && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            errors["Website"] = "Enter the website's full address, starting https://";
        var opening = Optional(input.OpeningTimes, "OpeningTimes", Service.MaxShortTextLength, errors);

        var knownAreas = lookups.Areas;
        var areaIds = input.AreaIds.Distinct().ToList();
        if (areaIds.Count == 0)
            errors["AreaIds"] = "Select at least one area the service covers";
        else if (areaIds.Any(a => !knownAreas.Contains(a)))
            errors["AreaIds"] = "Select areas from the list";
        var knownNeeds = lookups.Needs;
        var needIds = input.NeedIds.Distinct().ToList();
        if (needIds.Count == 0)
            errors["NeedIds"] = "Select at least one need the service meets";
        else if (needIds.Any(n => !knownNeeds.Contains(n)))
            errors["NeedIds"] = "Select needs from the list";
        if (errors.Count > 0)
            return errors;

        service.ProviderOrganisationId = input.ProviderOrganisationId!.Value;
        service.Name = name!;
        service.Description = description!;
        service.HowToRefer = howToRefer!;
        service.MinimumAge = min;
        service.MaximumAge = max;
        service.Places = places!.Value;
        service.Occupied = occupied;
        service.WaitingList = waiting;
        service.Threshold = input.Threshold!.Value;
        service.QaStatus = input.QaStatus!.Value;
        service.LastReviewedOn = last;
        service.NextReviewOn = next;
        service.ApRegistration = registration;
        service.OfstedUrn = urn;
        service.Cost = cost;
        service.ContactName = contact;
        service.Email = email;
        service.Phone = phone;
        service.Website = website;
        service.OpeningTimes = opening;
        service.Areas.RemoveAll(a => !areaIds.Contains(a.AreaId));
        service.Areas.AddRange(areaIds.Where(a => service.Areas.All(x => x.AreaId != a)).Select(a => new ServiceArea { ServiceId = service.Id, AreaId = a }));
        service.Needs.RemoveAll(n => !needIds.Contains(n.TaxonomyTermId));
        service.Needs.AddRange(needIds.Where(n => service.Needs.All(x => x.TaxonomyTermId != n)).Select(n => new ServiceNeed { ServiceId = service.Id, TaxonomyTermId = n }));
        Touch(service);
        return errors;
    }

    private static string? Text(string? value, string field, string missing, int max, Dictionary<string, string> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            errors[field] = missing;
        else if (trimmed.Length > max)
            errors[field] = $"This must be {max} characters or fewer";
        return trimmed;
    }

    private static string? Optional(string? value, string field, int max, Dictionary<string, string> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > max)
            errors[field] = $"This must be {max} characters or fewer";
        return trimmed;
    }

    private static int? Number(string? value, string field, string label, int min, int max, Dictionary<string, string> errors, bool required = false)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
                errors[field] = $"Enter the number of {label.ToLowerInvariant()} (0 or more)";
            return null;
        }
        if (!int.TryParse(trimmed, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            errors[field] = $"{label} must be a whole number from {min} to {max}";
            return null;
        }
        if (n < min || n > max)
        {
            errors[field] = n < 0 ? $"{label} cannot be below zero" : $"{label} must be a whole number from {min} to {max}";
            return null;
        }
        return n;
    }

    [GeneratedRegex(@"^\d{6,7}$")]
    private static partial Regex UrnPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ()-]{6,20}$")]
    private static partial Regex PhonePattern();
}

/// <summary>How the directory names its enumerations.</summary>
public static class ServiceLabels
{
    public static string EndReason(ServiceReferralEndReason r) => r switch
    {
        ServiceReferralEndReason.Completed => "completed",
        ServiceReferralEndReason.Disengaged => "disengaged",
        ServiceReferralEndReason.MovedAway => "moved away",
        ServiceReferralEndReason.Withdrawn => "withdrawn",
        _ => r.ToString(),
    };

    public static string Of(ServiceThreshold t) => t switch
    {
        ServiceThreshold.Universal => "Universal",
        ServiceThreshold.EarlyHelp => "Early help",
        ServiceThreshold.Targeted => "Targeted",
        ServiceThreshold.Statutory => "Statutory",
        _ => t.ToString(),
    };

    public static string Of(ServiceQaStatus s) => s switch
    {
        ServiceQaStatus.Approved => "Approved",
        ServiceQaStatus.UnderReview => "Under review",
        ServiceQaStatus.Suspended => "Suspended",
        _ => s.ToString(),
    };

    public static string Of(ApRegistration r) => r switch
    {
        ApRegistration.NotApplicable => "Not alternative provision",
        ApRegistration.Registered => "Registered school (Ofsted URN)",
        ApRegistration.Unregistered => "Unregistered alternative provision",
        _ => r.ToString(),
    };

    public static string TagClass(ServiceQaStatus s) => s switch
    {
        ServiceQaStatus.Approved => "govuk-tag--green",
        ServiceQaStatus.UnderReview => "govuk-tag--yellow",
        _ => "govuk-tag--red",
    };

    public static string Ages(int? min, int? max) => (min, max) switch
    {
        (null, null) => "Any age",
        ({ } lo, null) => $"{lo} and over",
        (null, { } hi) => $"Up to {hi}",
        ({ } lo, { } hi) => $"{lo} to {hi}",
    };
}

public static class ServiceDirectoryServices
{
    public static IServiceCollection AddWaypointServiceDirectory(this IServiceCollection services)
    {
        services.AddScoped<ServiceDirectory>();
        services.AddScoped<DirectoryTransfer>();
        services.AddScoped<ServiceOutcomes>();
        services.AddScoped<ServiceReferrals>();
        services.AddScoped<ServiceDailyCheck>();
        services.AddScoped<Provision.Placements>();
        services.AddScoped<Provision.SixthDayWatch>();
        services.AddScoped<Provision.TermCalendar>();
        services.AddHostedService<DailyServiceCheck>();
        services.AddSingleton<IStartupFilter, OpenReferralCors>();
        services.AddOpenApi(OpenReferralFeed.DocumentName, o => o.ShouldInclude = d => d.GroupName == OpenReferralFeed.DocumentName);
        services.AddOpenApi(OpenReferralFeed.DocumentName, o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Waypoint services directory: Open Referral UK feed";
            document.Info.Version = OpenReferralFeed.Version;
            document.Info.Description = "The partnership's directory of services in the Open Referral UK shape (HSDS 3.0, UK profile). " +
                "Public and read-only: no sign-in, no key, any origin. Suspended services are never in it. See docs/services.md.";
            document.Info.License = new Microsoft.OpenApi.OpenApiLicense { Name = "Open Government Licence v3.0", Url = new Uri("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/") };
            return Task.CompletedTask;
        }));
        return services;
    }
}

using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>Services arranged straight in the database for the directory's and the feed's tests.</summary>
public static class ServiceData
{
    public static readonly Guid RiskOfExclusion = NeedsTaxonomy.Terms[0].Id;
    public static readonly Guid PersistentAbsence = NeedsTaxonomy.Terms[1].Id;

    public static async Task<Service> AddServiceAsync(this WaypointApp app, TestPartnership p, string name, Action<Service>? change = null)
    {
        var service = new Service
        {
            ProviderOrganisationId = p.Charity.Id,
            Name = $"{name} {p.Suffix}",
            Description = $"What {name} does",
            HowToRefer = "Telephone the referrals team",
            MinimumAge = 11,
            MaximumAge = 16,
            Threshold = ServiceThreshold.EarlyHelp,
            Places = 10,
            Occupied = 2,
            QaStatus = ServiceQaStatus.Approved,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        service.Areas.Add(new ServiceArea { ServiceId = service.Id, AreaId = p.District.Id });
        service.Needs.Add(new ServiceNeed { ServiceId = service.Id, TaxonomyTermId = RiskOfExclusion });
        change?.Invoke(service);
        await app.AsSystemAsync(async db =>
        {
            db.Add(service);
            await db.SaveChangesAsync();
        });
        return service;
    }

    /// <summary>The fields of a complete, valid service form.</summary>
    public static List<KeyValuePair<string, string>> Form(TestPartnership p, string name) =>
    [
        new("Input.ProviderOrganisationId", p.Charity.Id.ToString()),
        new("Input.Name", name),
        new("Input.Description", "Mentoring for pupils at risk of exclusion"),
        new("Input.MinimumAge", "11"),
        new("Input.MaximumAge", "16"),
        new("Input.Threshold", "Targeted"),
        new("Input.NeedIds", RiskOfExclusion.ToString()),
        new("Input.NeedIds", PersistentAbsence.ToString()),
        new("Input.AreaIds", p.District.Id.ToString()),
        new("Input.HowToRefer", "Email the referrals team"),
        new("Input.Places", "12"),
        new("Input.Occupied", "3"),
        new("Input.WaitingList", "1"),
        new("Input.Cost", "Free to families"),
        new("Input.ContactName", "Referrals team"),
        new("Input.Email", "referrals@example.org"),
        new("Input.Phone", "01632 960 001"),
        new("Input.Website", "https://example.org/mentoring"),
        new("Input.QaStatus", "Approved"),
        new("Input.LastReviewedOn.Day", "1"),
        new("Input.LastReviewedOn.Month", "9"),
        new("Input.LastReviewedOn.Year", "2026"),
        new("Input.NextReviewOn.Day", "1"),
        new("Input.NextReviewOn.Month", "9"),
        new("Input.NextReviewOn.Year", "2027"),
        new("Input.ApRegistration", "NotApplicable"),
    ];

    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string name, string value)
    {
        fields.RemoveAll(f => f.Key == name);
        fields.Add(new(name, value));
        return fields;
    }

    public static async Task<HttpResponseMessage> PostFieldsAsync(this HttpClient client, string url, List<KeyValuePair<string, string>> fields)
    {
        var page = await client.GetAsync(url);
        var token = Clients.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var body = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token ?? "") };
        return await client.PostAsync(url, new FormUrlEncodedContent(body));
    }
}

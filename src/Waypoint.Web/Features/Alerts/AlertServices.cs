namespace Waypoint.Features.Alerts;

public static class AlertServices
{
    public static IServiceCollection AddWaypointAlerts(this IServiceCollection services)
    {
        services.AddScoped<AlertEvaluator>();
        services.AddScoped<AlertRaiser>();
        services.AddScoped<AlertRecipients>();
        services.AddScoped<AlertVisibility>();
        services.AddScoped<AlertInbox>();
        services.AddScoped<Shared.ReaderPeople>();
        // Recipients: one source per group. The lead of the child's open case is added here as a third source when case work lands.
        services.AddScoped<IAlertRecipientSource, SchoolSafeguardingLeadRecipients>();
        services.AddScoped<IAlertRecipientSource, InclusionTeamRecipients>();
        services.AddScoped<IAlertRecipientSource, CaseLeadRecipients>();
        services.AddScoped<Schools.ISchoolRecordsChangedHandler, EarlyWarningOnRecordsChanged>();
        services.AddHostedService<DailyAlertEvaluation>();
        return services;
    }
}

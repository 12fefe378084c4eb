using Microsoft.Extensions.Options;

namespace Waypoint.Features.Notifications;

public static class NotificationServices
{
    public static IServiceCollection AddWaypointNotifications(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<EmailOptions>().Bind(config.GetSection("Email"))
            .PostConfigure(o =>
            {
                // Links in e-mail lead where the app is served unless an address is given (a proxy's, say).
                if (string.IsNullOrWhiteSpace(config["Email:PublicUrl"]) && EmailOptions.ServedAt(config) is { } served)
                    o.PublicUrl = served;
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new EmailSettings(sp.GetRequiredService<IOptions<EmailOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<EmailSender>();
        services.AddSingleton<Shell.WakeSignal<EmailDispatcher>>();
        services.AddSingleton<EmailDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailDispatcher>());
        services.AddScoped<INotifier, Notifier>();
        return services;
    }
}

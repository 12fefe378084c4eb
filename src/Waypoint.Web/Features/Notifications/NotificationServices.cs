using Microsoft.Extensions.Options;

namespace Waypoint.Features.Notifications;

public static class NotificationServices
{
    public static IServiceCollection AddWaypointNotifications(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<EmailOptions>().Bind(config.GetSection("Email")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new EmailSettings(sp.GetRequiredService<IOptions<EmailOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<EmailSender>();
        services.AddSingleton<Shell.WakeSignal<EmailDispatcher>>();
        services.AddSingleton<EmailDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailDispatcher>());
        services.AddScoped<INotifier, Notifier>();
        return services;
    }
}

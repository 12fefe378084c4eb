using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Waypoint.Data;

/// <summary>
/// The yardstick of <c>bench/run-person-page.sh</c>: one indexed query and a 2 KB page, answered
/// in the same process as the pages it is compared with, ahead of authentication (no token, no
/// reader, no audit). Off unless <c>Bench:Baseline</c> is true, so a deployed server has no such
/// path; it returns a person's given name to nobody in particular, which is why it must stay off.
/// With it on, requests are also taken as HTTPS, as behind the TLS-terminating proxy of a real
/// deployment, so that the bench signs in over plain loopback HTTP with the production cookie rules.
/// </summary>
internal sealed class BenchBaseline(IConfiguration config) : IStartupFilter
{
    private static readonly string Padding = new('x', 2048);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (config.GetValue("Bench:Baseline", false))
        {
            app.Map("/bench/baseline", branch => branch.Run(AnswerAsync));
            app.Use((context, nextMiddleware) =>
            {
                context.Request.Scheme = "https";
                return nextMiddleware(context);
            });
        }
        next(app);
    };

    private static async Task AnswerAsync(HttpContext context)
    {
        _ = Guid.TryParse(context.Request.Query["id"], out var id);
        await using var scope = context.RequestServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(context.RequestAborted);
        object? name;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "GivenName" FROM "People" WHERE "Id" = @id""";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "id";
            parameter.Value = db.IsPostgres ? id : id.ToString().ToUpperInvariant();
            command.Parameters.Add(parameter);
            name = await command.ExecuteScalarAsync(context.RequestAborted);
        }
        await connection.CloseAsync();
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><title>Baseline</title></head><body><p>")
            .Append(name is null ? "none" : "found").Append("</p><p>").Append(Padding).Append("</p></body></html>").ToString();
        await context.Response.WriteAsync(page, context.RequestAborted);
    }
}

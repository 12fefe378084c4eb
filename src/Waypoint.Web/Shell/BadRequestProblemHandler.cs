using Microsoft.AspNetCore.Diagnostics;

namespace Waypoint.Shell;

/// <summary>
/// Malformed API input (unreadable JSON, a value of the wrong type) is the caller's mistake: a 400
/// problem saying what could not be read, never a 500.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        http.Response.StatusCode = bad.StatusCode;
        // A value of the wrong kind in a field (an enum by number, a date out of range): a validation problem naming the field.
        if (bad.InnerException is System.Text.Json.JsonException { Path: { Length: > 2 } path } field && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var name = path[2..];
            var message = field.Message.Split(" Path: ")[0];
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = exception,
                ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [message] })
                {
                    Status = bad.StatusCode,
                    Title = "One or more fields are not valid.",
                    Detail = $"{name}: {message}",
                },
            });
        }
        var detail = bad.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this operation: {json.Message}"
            : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read.", Detail = detail },
        });
    }
}

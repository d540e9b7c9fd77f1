using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TileServer.Api.Errors;

/// <summary>
/// The one place exceptions become responses: the <see cref="FailureKind"/> of our own exceptions decides the status,
/// written as problem+json. Details name what was wrong; anything unexpected is a 500 whose body carries only the
/// trace id, never an internal message.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<ProblemExceptionHandler> _log;

    public ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log)
    {
        _problems = problems;
        _log = log;
    }

    /// <summary>Key of <see cref="HttpContext.Items"/> under which a failed request's trace id is kept for its log entry.</summary>
    public const string TraceIdKey = "TraceId";

    /// <summary>Status, title, detail and the parameter at fault of an exception that reached a request's boundary.</summary>
    public readonly record struct Problem(int Status, string Title, string Detail, string? Parameter, TimeSpan? RetryAfter = null);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(_log, request.Method, request.Path);
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var problem = Classify(exception);
        string traceId = System.Diagnostics.Activity.Current?.Id ?? httpContext.TraceIdentifier;
        // The same id goes into the problem, this log entry and the request's log entry (see TileServerApp).
        httpContext.Items[TraceIdKey] = traceId;
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            Log.UnexpectedError(_log, exception, request.Method, request.Path, traceId);
        }
        else if (problem.Status >= 500 && exception is not OverloadedException)
        {
            Log.RequestFailed(_log, request.Method, request.Path, problem.Status, problem.Detail, traceId);
        }

        var response = httpContext.Response;
        response.StatusCode = problem.Status;
        // Validators and caching set for the success path must not make a CDN keep an error.
        response.Headers.Remove("ETag");
        response.Headers.CacheControl = "no-store";
        SetRetryAfter(response, problem);

        var details = new ProblemDetails { Status = problem.Status, Title = problem.Title, Detail = problem.Detail, Instance = request.Path };
        if (problem.Parameter is not null)
        {
            details.Extensions["parameter"] = problem.Parameter;
        }

        details.Extensions["traceId"] = traceId;

        if (await _problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception }).ConfigureAwait(false))
        {
            return true;
        }

        // The client's Accept excluded JSON (e.g. an image client): the body still says what was wrong.
        await response.WriteAsJsonAsync(details, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Load shedding says when to come back; the header is also how the request log tells shedding (Warning) from a
    /// failure (Error), whatever the body's format (problem+json, an OWS or WMS exception report).
    /// </summary>
    public static void SetRetryAfter(HttpResponse response, Problem problem)
    {
        if (problem.RetryAfter is { } retry)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The mapping from failures to responses; server-side details are redacted (no paths, URL secrets or credentials).</summary>
    public static Problem Classify(Exception exception)
    {
        var problem = ClassifyRaw(exception);
        return problem.Status >= 500 ? problem with { Detail = Redaction.Redact(problem.Detail) } : problem;
    }

    private static Problem ClassifyRaw(Exception exception) => exception switch
    {
        BadRequestException e => new(400, "Invalid parameter", e.Message, e.Parameter),
        NotFoundException e => new(404, e.Title, e.Message, e.Parameter),
        TooLargeException e => new(400, "Request too large", e.Message, e.Parameter),
        NotAcceptableException e => new(406, "Not acceptable", e.Message, null),
        DatasetUnavailableException e => new(503, "Dataset unavailable", e.Message, "dataset"),
        OverloadedException e => new(503, "Server busy", e.Message, null, e.RetryAfter),
        TileServerException { Kind: FailureKind.InvalidData } e => new(502, "Corrupt or unsupported data", e.Message, null),
        TileServerException { Kind: FailureKind.StoreUnavailable } e => new(502, "Storage error", e.Message, null),
        TileServerException { Kind: FailureKind.FeatureUnavailable } e => new(503, "Not available", e.Message, null),
        TileServerException e => new(500, "Request failed", e.Message, null),
        BadHttpRequestException b => new(b.StatusCode, "Bad request", b.Message, null),
        OperationCanceledException => new(504, "Timeout", "The data could not be read in time.", null),
        _ => new(500, "Internal error", "An unexpected error occurred; it has been logged with this response's trace id.", null),
    };
}

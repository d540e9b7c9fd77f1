using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Api.Errors;

/// <summary>
/// The one place exceptions become responses: a table from exception type to status, written as problem+json.
/// Details name what was wrong; stack traces never leave the process.
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

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(_log, request.Method, request.Path);
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var (status, title, detail, parameter) = Classify(exception);
        if (status >= 500 && exception is not (ApiProblemException or StoreException or ChunkDecodeException or GeoDatasetException or CrsException or ZarrFormatException))
        {
            Log.UnexpectedError(_log, exception, request.Method, request.Path);
        }
        else if (status >= 500)
        {
            Log.RequestFailed(_log, exception, request.Method, request.Path, status, detail);
        }

        var response = httpContext.Response;
        response.StatusCode = status;
        // Validators and caching set for the success path must not make a CDN keep an error.
        response.Headers.Remove("ETag");
        response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = request.Path };
        if (parameter is not null)
        {
            problem.Extensions["parameter"] = parameter;
        }

        if (await _problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false))
        {
            return true;
        }

        // The client's Accept excluded JSON (e.g. an image client): the body still says what was wrong.
        await response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public static (int Status, string Title, string Detail, string? Parameter) Classify(Exception exception) => exception switch
    {
        ApiProblemException p => (p.Status, p.Title, p.Message, p.Parameter),
        BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message, null),
        ChunkDecodeException c => (StatusCodes.Status502BadGateway, "Corrupt data", c.Message, null),
        StoreException s => (StatusCodes.Status502BadGateway, "Storage error", s.Message, null),
        OperationCanceledException => (StatusCodes.Status504GatewayTimeout, "Timeout", "The data could not be read in time.", null),
        GeoDatasetException or ZarrFormatException or CrsException => (StatusCodes.Status503ServiceUnavailable, "Dataset unavailable", exception.Message, null),
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred; it has been logged.", null),
    };
}

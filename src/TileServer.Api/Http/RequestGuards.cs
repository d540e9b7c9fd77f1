using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TileServer.Api.Options;

namespace TileServer.Api.Http;

/// <summary>
/// What every request goes through before an endpoint runs: headers every response carries, the configured public
/// URL, and the query-string limits (length, value sizes, repeats), answered with problem+json before any work.
/// </summary>
public static class RequestGuards
{
    /// <summary>Parameters that may be repeated; every other parameter may be given once (on every route).</summary>
    public static readonly IReadOnlySet<string> Repeatable = new HashSet<string>(["variable", "sel", "bidx", "rescale", "c", "p"], StringComparer.OrdinalIgnoreCase);

    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<TileServerOptions>>().Value;
        Uri? publicBase = options.Proxy.PublicBaseUrl is { Length: > 0 } url ? new Uri(url) : null;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                // Browsers must not guess a type: a tile or a problem is what its Content-Type says.
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            if (publicBase is not null)
            {
                context.Request.Scheme = publicBase.Scheme;
                context.Request.Host = new HostString(publicBase.Authority);
                context.Request.PathBase = PathString.FromUriComponent(publicBase.AbsolutePath.TrimEnd('/'));
            }

            return Check(context.Request, options.Requests) is { } problem ? WriteAsync(context, problem) : next(context);
        });
    }

    /// <summary>The first limit the query breaks, or null.</summary>
    public static (int Status, string Parameter, string Detail)? Check(HttpRequest request, RequestLimitOptions limits)
    {
        // WMTS and WMS answer their own parameter errors (repeats included) as OGC exception reports; Kestrel's
        // request-line limit bounds their length.
        if (request.Path.StartsWithSegments("/wmts") || request.Path.StartsWithSegments("/wms"))
        {
            return null;
        }

        if (request.QueryString.Value is { } raw && raw.Length - 1 > limits.MaxQueryStringLength)
        {
            return (StatusCodes.Status414UriTooLong, "query", $"The query string has {raw.Length - 1} characters; at most {limits.MaxQueryStringLength} are accepted.");
        }

        foreach (var (key, values) in request.Query)
        {
            bool repeatable = Repeatable.Contains(key);
            if (values.Count > 1 && !repeatable)
            {
                return (StatusCodes.Status400BadRequest, key, $"'{key}' may be given only once; it was given {values.Count} times.");
            }

            if (values.Count > limits.MaxRepeats)
            {
                return (StatusCodes.Status400BadRequest, key, $"'{key}' may be given at most {limits.MaxRepeats} times, not {values.Count}.");
            }

            int max = key.Equals("colormap", StringComparison.OrdinalIgnoreCase) ? limits.MaxColormapLength : limits.MaxValueLength;
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (value.Length > max)
                {
                    return (StatusCodes.Status400BadRequest, key, $"'{key}' has {value.Length} characters; at most {max} are accepted.");
                }

                if (repeatable && value.AsSpan().Count(',') >= limits.MaxRepeats)
                {
                    return (StatusCodes.Status400BadRequest, key, $"'{key}' lists more than {limits.MaxRepeats} items.");
                }
            }
        }

        return null;
    }

    private static async Task WriteAsync(HttpContext context, (int Status, string Parameter, string Detail) problem)
    {
        context.Response.StatusCode = problem.Status;
        context.Response.Headers.CacheControl = "no-store";
        var details = new ProblemDetails
        {
            Status = problem.Status,
            Title = problem.Status == StatusCodes.Status414UriTooLong ? "URI too long" : "Invalid parameter",
            Detail = problem.Detail,
            Instance = context.Request.Path,
            Extensions = { ["parameter"] = problem.Parameter },
        };
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details }).ConfigureAwait(false))
        {
            await context.Response.WriteAsJsonAsync(details, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Kestrel's limits, set deliberately (then <c>Kestrel:Limits</c> in configuration may change each).</summary>
    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var l = kestrel.Limits;
        kestrel.AddServerHeader = false;
        l.MaxRequestLineSize = 8 * 1024;
        l.MaxRequestHeadersTotalSize = 32 * 1024;
        l.MaxRequestHeaderCount = 64;
        // A backstop: the POST routes stop reading at their own limit (TileServer:Tiles:MaxBodyBytes) and name it in a 400;
        // a client announcing more than this is refused by Kestrel with 413 before any read.
        l.MaxRequestBodySize = 32L * 1024 * 1024;
        l.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        l.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        l.MaxConcurrentConnections = 10_000;
        l.MaxConcurrentUpgradedConnections = 0;
        l.MinRequestBodyDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        l.MinResponseDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        l.Http2.MaxStreamsPerConnection = 100;
        l.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
        configuration.GetSection("Kestrel:Limits").Bind(l);
    }
}

using System.IO.Compression;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using TileServer.Api.Catalog;
using TileServer.Api.Endpoints.Areas;
using TileServer.Api.Endpoints;
using TileServer.Api.Endpoints.Standards;
using TileServer.Api.Endpoints.Viewer;
using TileServer.Api.Errors;
using TileServer.Api.Operations;
using TileServer.Api.Options;
using TileServer.Delivery;

namespace TileServer.Api;

/// <summary>The composition root: services, middleware and endpoints.</summary>
public static class TileServerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.Host.UseSerilog((context, services, logger) => logger
            .ReadFrom.Configuration(context.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"),
            // Each host logs through its own logger, never the process-wide static one: a second host in the process
            // (the seed and inspect commands' hosts, tests) must not take over the first one's log events.
            preserveStaticLogger: true);

        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TileServerOptions>().Bind(configuration.GetSection(TileServerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<TileServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<TileServerOptions>>(sp => sp.GetRequiredService<TileServerOptionsValidator>());
        services.AddSingleton<IValidateOptions<DataOptions>>(sp => sp.GetRequiredService<TileServerOptionsValidator>());
        services.AddSingleton(TimeProvider.System);
        services.AddDataReading(configuration);
        services.AddDocuments();
        services.AddTileDelivery(configuration);
        services.AddOperations(configuration);

        services.AddSingleton<CatalogWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogWarmup>());
        services.AddSingleton<HttpCaching>();
        services.AddSingleton<TileHandler>();
        services.AddSingleton<AreaHandler>();
        services.AddStandardsServices();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "GeoZarr tile server";
            doc.Info.Description = "Map tiles, TileJSON, WMTS and OGC API - Tiles from Zarr (v2/v3) and GeoZarr data.";
            return Task.CompletedTask;
        }));
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<TileServerOptions>>((cors, options) =>
            cors.AddDefaultPolicy(policy =>
            {
                var allowed = options.Value.Cors;
                if (allowed.AllowsAnyOrigin)
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. allowed.AllowedOrigins!]);
                }

                policy.AllowAnyHeader().WithMethods("GET", "HEAD", "OPTIONS").WithExposedHeaders("ETag", "Server-Timing", "Content-Length");
            }));
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            // Text only: images are already compressed.
            o.MimeTypes = ["application/json", "application/problem+json", "application/xml", "text/xml", "text/html", "text/plain", "application/javascript", "text/css", "application/vnd.oai.openapi+json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TileServerOptions>>((o, options) =>
        {
            // Only the configured proxies are believed (not even loopback by default): forwarded host and scheme end up
            // in publicly cached links, so a client must not be able to choose them.
            // With both lists empty the middleware would believe everyone, so no configured proxy means no forwarded headers.
            var proxy = options.Value.Proxy;
            o.ForwardedHeaders = proxy.KnownProxies.Count + proxy.KnownNetworks.Count == 0 ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var address in options.Value.Proxy.KnownProxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(address));
            }

            foreach (var network in options.Value.Proxy.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => RequestGuards.ConfigureKestrel(o, configuration));
    }

    public static void Configure(WebApplication app)
    {
        app.UseForwardedHeaders();
        // Outside the exception handler, so each request is logged once with the status the client got.
        app.UseSerilogRequestLogging(o =>
        {
            // 4xx (and 499, a client that went away) are the client's business: Information, no stack trace. A 503 with
            // Retry-After is load shedding working as designed: Warning. Other 5xx: Error, with the problem's trace id.
            // This application's logger, not the static one (another host in the same process may have replaced that).
            o.Logger = app.Services.GetService<Serilog.ILogger>();
            o.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("TraceId", http.Items[ProblemExceptionHandler.TraceIdKey] as string ?? System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier);
            o.GetLevel = (http, _, ex) => ex is not null ? LogEventLevel.Error
                : http.Response.StatusCode == 503 && http.Response.Headers.RetryAfter.Count > 0 ? LogEventLevel.Warning
                : http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Response.StatusCode >= 400 ? LogEventLevel.Information
                : http.Request.Path.StartsWithSegments("/tiles") || http.Request.Path.StartsWithSegments("/metrics") || http.Request.Path.StartsWithSegments("/wmts") || http.Request.Path.StartsWithSegments("/wms") || http.Request.Path.StartsWithSegments("/collections") ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            // Unmatched routes and bare status results get a problem+json body too.
            var response = context.HttpContext.Response;
            if (response.StatusCode is >= 400 and < 600 && !response.HasStarted && response.ContentLength is null && response.ContentType is null)
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = response.StatusCode, Title = response.StatusCode == 404 ? "Not found" : "Request failed", Detail = response.StatusCode == 404 ? $"No resource at '{context.HttpContext.Request.Path}'." : null },
                }).ConfigureAwait(false);
            }
        });
        app.UseRequestGuards();
        app.UseResponseCompression();
        app.UseCors();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "GeoZarr tile server");
            o.DocumentTitle = "GeoZarr tile server API";
        });

        app.MapOperations();
        app.MapHealthEndpoints();
        app.MapDatasetEndpoints();
        app.MapTileMatrixSetEndpoints();
        app.MapTileEndpoints();
        app.MapTileJsonEndpoints();
        app.MapStandardsEndpoints();
        app.MapViewerEndpoints();
        app.MapAreaEndpoints();

        var catalog = app.Services.GetRequiredService<DatasetCatalog>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TileServer");
        TileServer.Api.Log.Serving(log, catalog.Ids.Count, string.Join(", ", catalog.Ids));
    }
}

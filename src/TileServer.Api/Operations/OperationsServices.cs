using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TileServer.Api.Options;
using TileServer.Delivery.Cache;

namespace TileServer.Api.Operations;

/// <summary>What running at scale adds to the server: metrics and traces, the rendered-tile cache.</summary>
public static class OperationsServices
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TileCacheOptions>().Bind(configuration.GetSection(TileCacheOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TileCacheOptions>, TileCacheOptionsValidator>();
        services.AddSingleton(sp => new TileCache(sp.GetRequiredService<IOptions<TileCacheOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));

        services.AddSingleton<GracefulShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddOptions<HostOptions>().Configure<IOptions<TileServerOptions>>((host, options) => host.ShutdownTimeout = TimeSpan.FromSeconds(options.Value.Shutdown.GraceSeconds));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tileserver"))
            .WithMetrics(m => m.AddMeter(Telemetry.Name).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddProcessInstrumentation().AddPrometheusExporter())
            .WithTracing(t => t.AddSource(Telemetry.Name).AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));
        // Traces and metrics also go to a collector when one is configured the standard way.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    public static void MapOperations(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");

    private sealed class TileCacheOptionsValidator : IValidateOptions<TileCacheOptions>
    {
        public ValidateOptionsResult Validate(string? name, TileCacheOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

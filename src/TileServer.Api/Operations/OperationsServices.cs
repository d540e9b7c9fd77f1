using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TileServer.Api.Options;

namespace TileServer.Api.Operations;

/// <summary>What running at scale adds to the server: metrics and traces, graceful shutdown.</summary>
public static class OperationsServices
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
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
}

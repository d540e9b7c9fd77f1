using Serilog;
using Serilog.Events;
using TileServer.Api.Endpoints;
using TileServer.Delivery.Seeding;

namespace TileServer.Api.Commands;

/// <summary>
/// <c>TileServer.Api seed --dataset ID --zooms A-B (--out DIR | --pmtiles FILE | --cache) ...</c>: renders tiles ahead of
/// requests with the server's configuration and services, through the tile endpoint's own render, so every byte is what
/// the server would send. The engine is <see cref="Seeder"/>; this class parses, builds the host and maps outcomes to exit
/// statuses: 0 done, 1 failed (unknown dataset, unreadable store, a tile that failed), 2 malformed command line, 130 interrupted.
/// </summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (SeedArguments.Parse(args, out string error) is not { } parsed)
        {
            return await UsageAsync(errors, error).ConfigureAwait(false);
        }

        // This process serves nothing, so an in-process tile tier would only hold memory (a setting given on the command line wins).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--TileServer:TileCache:MemoryBytes=0", .. parsed.Configuration], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSerilog((services, logger) => logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Verbose), preserveStaticLogger: true);
        TileServerApp.AddServices(builder.Services, builder.Configuration);
        using var host = builder.Build();
        TileRender render;
        try
        {
            host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            render = host.Services.GetRequiredService<TileHandler>().Bind(parsed.Request.Format, parsed.Request.Query);
        }
        catch (BadRequestException ex)
        {
            return await UsageAsync(errors, "--query: " + ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or AggregateException)
        {
            await errors.WriteLineAsync("The configuration is invalid: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        try
        {
            var summary = await ActivatorUtilities.CreateInstance<Seeder>(host.Services).RunAsync(parsed.Request, render, errors, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(summary.ToString()).ConfigureAwait(false);
            return summary.Interrupted ? 130 : 0;
        }
        catch (Exception ex)
        {
            // Any failure ends the seed with its message (the seeder logs a failed tile with its exception); Ctrl+C before the first tile is an interruption.
            bool interrupted = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            await errors.WriteLineAsync(interrupted ? "interrupted" : "seed failed: " + ex.Message).ConfigureAwait(false);
            return interrupted ? 130 : 1;
        }
    }

    private static async Task<int> UsageAsync(TextWriter errors, string error)
    {
        await errors.WriteLineAsync(error).ConfigureAwait(false);
        await errors.WriteLineAsync(SeedArguments.Usage).ConfigureAwait(false);
        return 2;
    }
}

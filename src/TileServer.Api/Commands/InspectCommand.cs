using Microsoft.Extensions.Options;
using TileServer.Reading.Inspection;

namespace TileServer.Api.Commands;

/// <summary>
/// <c>TileServer.Api inspect PATH [--ref REF] [--json] [--values ARRAY_PATH]</c>: what the server sees in a store, read
/// with the server's own configuration (appsettings.json, environment, and <c>--Section:Key=value</c> arguments). Exit
/// status 0 when the store was read (problems found in it are listed), 1 when the store, the ref or the values asked for
/// could not be read, 2 for a malformed command line.
/// </summary>
internal static class InspectCommand
{
    public const string Usage =
        "usage: TileServer.Api inspect PATH [--ref branch:NAME|tag:NAME|SNAPSHOT_ID] [--json] [--values ARRAY_PATH] [--TileServer:Key=value ...]";

    public static async Task<int> RunAsync(string[] args, Stream output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (InspectArguments.Parse(args, out var error) is not { } parsed)
        {
            await errors.WriteLineAsync(error).ConfigureAwait(false);
            await errors.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = parsed.Configuration, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDataReading(builder.Configuration);
        using var host = builder.Build();

        StoreInspector inspector;
        try
        {
            _ = host.Services.GetRequiredService<IOptions<DataOptions>>().Value;
            inspector = host.Services.GetRequiredService<StoreInspector>();
        }
        catch (OptionsValidationException ex)
        {
            await errors.WriteLineAsync("The configuration is invalid:").ConfigureAwait(false);
            foreach (var failure in ex.Failures)
            {
                await errors.WriteLineAsync("  " + failure).ConfigureAwait(false);
            }

            return 1;
        }

        var report = await inspector.InspectAsync(parsed.Request, cancellationToken).ConfigureAwait(false);
        return await parsed.WriteAsync(report, output, errors, cancellationToken).ConfigureAwait(false);
    }
}

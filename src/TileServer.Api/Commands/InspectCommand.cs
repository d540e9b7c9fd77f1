using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    // The output is a document, not HTML: keep quotes and non-ASCII text readable.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Arguments(string Path, string? Ref, bool Json, string? ValuesOf, string[] Configuration);

    public static async Task<int> RunAsync(string[] args, Stream output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (Parse(args, out var error) is not { } parsed)
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

        var report = await inspector.InspectAsync(new InspectionRequest { Path = parsed.Path, Ref = parsed.Ref, ValuesOf = parsed.ValuesOf }, cancellationToken).ConfigureAwait(false);
        if (parsed.Json)
        {
            await using var json = new Utf8JsonWriter(output, JsonOptions);
            InspectionJson.Write(json, report);
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        else if (parsed.ValuesOf is not null)
        {
            if (report.Values is { } values)
            {
                await using var json = new Utf8JsonWriter(output, JsonOptions);
                InspectionJson.WriteValues(json, values);
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            // The values go to standard output alone, so that they can be piped; whatever else was found goes beside them.
            foreach (var problem in report.Problems)
            {
                await errors.WriteLineAsync($"[{problem.Kind}] {(problem.Path.Length > 0 ? "/" + problem.Path + ": " : "")}{problem.Message}").ConfigureAwait(false);
            }
        }
        else
        {
            await using var text = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
            InspectionText.Write(text, report);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !report.Readable || (parsed.ValuesOf is not null && report.Values is null) ? 1 : 0;
    }

    private static Arguments? Parse(string[] args, out string error)
    {
        string? path = null, reference = null, values = null;
        bool json = false;
        var configuration = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--json":
                    json = true;
                    break;
                case "--ref" or "--values":
                    if (i + 1 >= args.Length)
                    {
                        error = $"{arg} needs a value";
                        return null;
                    }

                    if (arg == "--ref")
                    {
                        reference = args[++i];
                    }
                    else
                    {
                        values = args[++i];
                    }

                    break;
                case "-h" or "--help":
                    error = "inspect: prints what the server sees in a Zarr store or Icechunk repository";
                    return null;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
                    {
                        configuration.Add(arg);
                    }
                    else if (arg.StartsWith('-') || path is not null)
                    {
                        error = $"unexpected argument '{arg}'";
                        return null;
                    }
                    else
                    {
                        path = arg;
                    }

                    break;
            }
        }

        if (path is null)
        {
            error = "no PATH given";
            return null;
        }

        error = "";
        return new Arguments(path, reference, json, values, [.. configuration]);
    }
}

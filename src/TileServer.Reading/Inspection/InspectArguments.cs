using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TileServer.Reading.Inspection;

/// <summary>
/// The <c>inspect</c> command's arguments (<c>PATH [--ref REF] [--json] [--values ARRAY_PATH]</c>, plus
/// <c>--Section:Key=value</c> configuration), and how it writes its report: JSON, the values alone, or text.
/// </summary>
public sealed record InspectArguments(string Path, string? Ref, bool Json, string? ValuesOf, string[] Configuration)
{
    // The output is a document, not HTML: keep quotes and non-ASCII text readable.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public InspectionRequest Request => new() { Path = Path, Ref = Ref, ValuesOf = ValuesOf };

    /// <summary>The arguments, or null with <paramref name="error"/> saying what is wrong (or what the command does, for --help).</summary>
    public static InspectArguments? Parse(string[] args, out string error)
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
        return new InspectArguments(path, reference, json, values, [.. configuration]);
    }

    /// <summary>
    /// Writes <paramref name="report"/> as asked; the exit status: 0 when the store was read (problems found in it are
    /// listed), 1 when the store, the ref or the values asked for could not be read.
    /// </summary>
    public async Task<int> WriteAsync(InspectionReport report, Stream output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (Json)
        {
            await using var json = new Utf8JsonWriter(output, JsonOptions);
            InspectionJson.Write(json, report);
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        else if (ValuesOf is not null)
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
        return !report.Readable || (ValuesOf is not null && report.Values is null) ? 1 : 0;
    }
}

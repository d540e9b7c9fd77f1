using System.Globalization;
using TileServer.Crs;
using TileServer.Tiling;

namespace TileServer.Delivery.Seeding;

/// <summary>
/// The seed command line: a <see cref="SeedRequest"/> plus the <c>--Section:Key=value</c> configuration arguments,
/// which go to the host as the server's own command line would.
/// </summary>
public sealed record SeedArguments(SeedRequest Request, string[] Configuration)
{
    public const string Usage =
        "usage: TileServer.Api seed --dataset ID --zooms A-B (--out DIR | --pmtiles FILE | --cache) [--tms ID] [--bbox W,S,E,N] " +
        "[--format png|webp|jpg] [--query \"colormap_name=...&rescale=...\"] [--concurrency N] [--TileServer:Key=value ...]";

    /// <summary>Zooms beyond this do not fit a PMTiles tile id, and no registered TileMatrixSet goes further.</summary>
    public const int MaxZoom = 30;

    private static readonly string[] Formats = ["png", "webp", "jpg"];

    /// <summary>The parsed arguments, or null with what is wrong in <paramref name="error"/> (the command then exits 2).</summary>
    public static SeedArguments? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var targets = new List<string>();
        var configuration = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    error = "seed: renders a dataset's tiles as the server would, into a folder, a PMTiles archive or the shared tile cache";
                    return null;
                case "--cache":
                    targets.Add(arg);
                    break;
                case "--dataset" or "--tms" or "--zooms" or "--bbox" or "--format" or "--query" or "--concurrency" or "--out" or "--pmtiles":
                    if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && arg != "--query"))
                    {
                        error = $"{arg} needs a value";
                        return null;
                    }

                    if (!values.TryAdd(arg, args[++i]))
                    {
                        error = $"{arg} is given twice";
                        return null;
                    }

                    if (arg is "--out" or "--pmtiles")
                    {
                        targets.Add(arg);
                    }

                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
                    {
                        configuration.Add(arg);
                        break;
                    }

                    error = $"unexpected argument '{arg}'";
                    return null;
            }
        }

        return Build(values, targets, configuration, out error);
    }

    private static SeedArguments? Build(Dictionary<string, string> values, List<string> targets, List<string> configuration, out string error)
    {
        string? Value(string name) => values.TryGetValue(name, out var v) ? v : null;
        error = "";
        if (Value("--dataset") is not { Length: > 0 } dataset)
        {
            error = "no --dataset given";
        }
        else if (Value("--zooms") is not { } zoomText || !TryParseZooms(zoomText, out int minZoom, out int maxZoom))
        {
            error = $"--zooms must be A-B with 0 <= A <= B <= {MaxZoom} (or one zoom), not '{Value("--zooms")}'";
        }
        else if (targets.Count != 1)
        {
            error = targets.Count == 0 ? "no target: give --out DIR, --pmtiles FILE or --cache" : $"give one target, not {string.Join(" and ", targets)}";
        }
        else if (Value("--bbox") is { } bboxText && !TryParseBbox(bboxText, out _))
        {
            error = $"--bbox must be W,S,E,N in degrees with W < E and S < N within -180..180 and -90..90, not '{bboxText}'";
        }
        else if (Value("--format") is { } format && !Formats.Contains(format, StringComparer.Ordinal))
        {
            error = $"--format must be one of {string.Join(", ", Formats)}, not '{format}'";
        }
        else if (Value("--concurrency") is { } c && !(int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 256))
        {
            error = $"--concurrency must be a whole number from 1 to 256, not '{c}'";
        }
        else if (targets[0] == "--pmtiles" && Value("--tms") is { } tms && tms != WellKnownTileMatrixSets.WebMercatorQuad)
        {
            error = $"--pmtiles holds WebMercatorQuad tiles only (PMTiles addresses tiles by that grid's z/x/y), not {tms}: use --out or --cache for other TileMatrixSets";
        }
        else
        {
            SeedTarget target = targets[0] switch
            {
                "--out" => new SeedTarget.Folder(values["--out"]),
                "--pmtiles" => new SeedTarget.Pmtiles(values["--pmtiles"]),
                _ => new SeedTarget.Cache(),
            };
            var request = new SeedRequest
            {
                Dataset = dataset,
                TileMatrixSet = Value("--tms") ?? WellKnownTileMatrixSets.WebMercatorQuad,
                MinZoom = minZoom,
                MaxZoom = maxZoom,
                Bbox = Value("--bbox") is { } b && TryParseBbox(b, out var box) ? box : null,
                Format = Value("--format") ?? "png",
                Query = (Value("--query") ?? "").TrimStart('?'),
                Target = target,
                Concurrency = Value("--concurrency") is { } cc ? int.Parse(cc, CultureInfo.InvariantCulture) : Environment.ProcessorCount,
            };
            return new SeedArguments(request, [.. configuration]);
        }

        return null;
    }

    private static bool TryParseZooms(string text, out int min, out int max)
    {
        string[] parts = text.Split('-');
        min = max = -1;
        return parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out min)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out max)
            && min <= max && max <= MaxZoom;
    }

    private static bool TryParseBbox(string text, out Extent box)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new double[4];
        box = default;
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i])).All(ok => ok))
        {
            return false;
        }

        box = new Extent(numbers[0], numbers[1], numbers[2], numbers[3]);
        return box.MinX >= -180 && box.MaxX <= 180 && box.MinY >= -90 && box.MaxY <= 90 && box.MinX < box.MaxX && box.MinY < box.MaxY;
    }
}

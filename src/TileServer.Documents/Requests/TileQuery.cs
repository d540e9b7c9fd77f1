using System.Globalization;
using System.Text;
using TileServer.Reading;
using TileServer.Reading.Expressions;
using TileServer.Reading.Selection;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents.Requests;

/// <summary>
/// The rendering parameters of a tile request (TiTiler names), parsed and validated once: what to read
/// (<see cref="Read"/>) and how to draw it. <see cref="Normalized"/> gives a canonical query string so that
/// equivalent URLs share ETags and CDN entries.
/// </summary>
public sealed record TileQuery
{
    /// <summary>What to read: the data-selecting part of the query (variable, sel, sel_method, bidx, resampling, nodata, expression).</summary>
    public ReadRequest Read { get; init; } = ReadRequest.Default;

    public IReadOnlyList<ValueRange> Rescale { get; init; } = [];
    public string? ColormapName { get; init; }
    public string? ColormapJson { get; init; }
    public bool ReturnMask { get; init; } = true;
    public int? TileSize { get; init; }
    public int? Quality { get; init; }

    public static readonly string[] KnownParameters =
        ["variable", "sel", "sel_method", "bidx", "rescale", "colormap_name", "colormap", "nodata", "resampling", "return_mask", "tilesize", "quality", "expression"];

    public static TileQuery Parse(RequestParameters query, int maxTileSize)
    {
        // Parsed in the order of KnownParameters, so that of several bad parameters the first is named.
        var variables = query.NonEmpty("variable").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var selections = query.NonEmpty("sel").Select(ParseSelection).ToArray();
        bool nearest = query.Single("sel_method") switch
        {
            null or "" or "exact" => false,
            "nearest" => true,
            var other => throw new BadRequestException("sel_method", $"sel_method must be 'nearest' or 'exact', not '{other}'."),
        };
        var bidx = query.NonEmpty("bidx").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(ParseBand).ToArray();
        var rescale = query.NonEmpty("rescale").Select(r => ParseRange(r, "rescale")).ToArray();
        string? colormapName = query.Single("colormap_name") is { Length: > 0 } cm ? cm : null;
        string? colormapJson = query.Single("colormap") is { Length: > 0 } cj ? cj : null;
        var read = new ReadRequest
        {
            Variables = variables,
            Selections = selections,
            SelectNearest = nearest,
            Bidx = bidx,
            Nodata = query.Single("nodata") is { Length: > 0 } nd ? ParseNodata(nd) : null,
            Resampling = query.Single("resampling") is { Length: > 0 } rs ? ParseResampling(rs) : null,
        };
        var q = new TileQuery
        {
            Rescale = rescale,
            ColormapName = colormapName,
            ColormapJson = colormapJson,
            ReturnMask = query.Single("return_mask") is { Length: > 0 } rm ? ParseBool(rm, "return_mask") : true,
            TileSize = query.Single("tilesize") is { Length: > 0 } ts ? ParseTileSize(ts, maxTileSize) : null,
            Quality = query.Single("quality") is { Length: > 0 } ql ? ParseInt(ql, "quality", 1, 100) : null,
        };
        read = read with { Expression = query.Single("expression") is { Length: > 0 } ex ? BandExpression.Parse(ex) : null };
        if (read.Expression is not null && read.Bidx.Count > 0)
        {
            throw new BadRequestException("bidx", "Give either bidx or an expression (whose b1..bN name the bands), not both.");
        }

        if (q.ColormapName is not null && q.ColormapJson is not null)
        {
            throw new BadRequestException("colormap", "Give either colormap_name or colormap, not both.");
        }

        return q with { Read = read };
    }

    /// <summary>The query with OGC API's <c>datetime</c> turned into a selection of the time dimension.</summary>
    public TileQuery WithDateTime(DatasetReader reader, string? datetime)
        => string.IsNullOrWhiteSpace(datetime) ? this : this with { Read = Read with { Selections = DateTimeSelection.Apply(Read, reader, datetime).Selections } };

    /// <summary>Canonical query string (sorted keys, normalised values, defaults omitted), without the leading '?'.</summary>
    public string Normalized()
    {
        var parts = new List<string>();
        void Add(string key, string value) => parts.Add(key + "=" + Uri.EscapeDataString(value));
        foreach (var v in Read.Variables)
        {
            Add("variable", v);
        }

        foreach (var (dim, value) in Read.Selections.OrderBy(s => s.Dimension, StringComparer.Ordinal))
        {
            Add("sel", dim + "=" + value);
        }

        if (Read.SelectNearest)
        {
            Add("sel_method", "nearest");
        }

        if (Read.Bidx.Count > 0)
        {
            Add("bidx", string.Join(",", Read.Bidx));
        }

        foreach (var r in Rescale)
        {
            Add("rescale", Fmt(r.Min) + "," + Fmt(r.Max));
        }

        if (ColormapName is not null)
        {
            Add("colormap_name", ColormapName.ToLowerInvariant());
        }

        if (ColormapJson is not null)
        {
            Add("colormap", ColormapJson);
        }

        if (Read.Nodata is { } nd)
        {
            Add("nodata", Fmt(nd));
        }

        if (Read.Resampling is { } rs)
        {
            Add("resampling", rs.ToString().ToLowerInvariant());
        }

        if (!ReturnMask)
        {
            Add("return_mask", "false");
        }

        if (TileSize is { } size)
        {
            Add("tilesize", size.ToString(CultureInfo.InvariantCulture));
        }

        if (Read.Expression is { } expression)
        {
            Add("expression", expression.Canonical);
        }

        if (Quality is { } quality)
        {
            Add("quality", quality.ToString(CultureInfo.InvariantCulture));
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join("&", parts);
    }

    private static string Fmt(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static DimensionSelection ParseSelection(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new BadRequestException("sel", $"sel must look like 'dimension=value' (e.g. sel=time=2020-01-01), not '{text}'.");
        }

        return new DimensionSelection(text[..eq].Trim(), text[(eq + 1)..].Trim());
    }

    private static int ParseBand(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1 && b <= 65536
            ? b
            : throw new BadRequestException("bidx", $"bidx must be 1-based band numbers separated by commas, not '{text}'.");

    public static ValueRange ParseRange(string text, string parameter)
        => Stretch.TryParse(text, out var range)
            ? new ValueRange(range.Min, range.Max)
            : throw new BadRequestException(parameter, $"{parameter} must be 'min,max' with finite numbers and min < max, not '{text}'.");

    /// <summary>The <c>colormap</c> parameter's JSON: a colormap, or the client's mistake named.</summary>
    public static IColormap ParseColormap(string json)
    {
        try
        {
            return Colormap.ParseJson(json);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new BadRequestException("colormap", "colormap is not a valid colormap: " + ex.Message);
        }
    }

    private static double ParseNodata(string text)
        => text.Equals("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
            : throw new BadRequestException("nodata", $"nodata must be a number or 'nan', not '{text}'.");

    public static ResamplingMethod ParseResampling(string text)
        => ResamplingMethods.TryParse(text, out var method)
            ? method
            : throw new BadRequestException("resampling", $"resampling must be one of {string.Join(", ", ResamplingMethods.Names)}; not '{text}'.");

    private static bool ParseBool(string text, string parameter) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new BadRequestException(parameter, $"{parameter} must be true or false, not '{text}'."),
    };

    private static int ParseTileSize(string text, int max)
    {
        int size = ParseInt(text, "tilesize", 1, int.MaxValue);
        if (size < 64 || size > max)
        {
            throw new BadRequestException("tilesize", $"tilesize must be between 64 and {max}, not {size}.");
        }

        return size;
    }

    /// <summary>An integer parameter between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static int ParseInt(string text, string parameter, int min, int max)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new BadRequestException(parameter, $"{parameter} must be an integer between {min} and {max}, not '{text}'.");

    public override string ToString()
    {
        var sb = new StringBuilder("TileQuery(");
        sb.Append(Normalized()).Append(')');
        return sb.ToString();
    }
}

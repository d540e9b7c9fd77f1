using System.Globalization;
using System.Text.Json;
using TileServer.Icechunk;
using TileServer.Tiling;

namespace TileServer.Reading.Catalog;

/// <summary>A dataset the server is told to serve, validated: where it is, what to call it, how to render it by default.</summary>
public sealed record DatasetDefinition : DatasetSettings
{
    public DatasetDefinition()
    {
    }

    /// <summary>A definition with the settings of <paramref name="settings"/>, as they were configured.</summary>
    private DatasetDefinition(DatasetSettings settings)
        : base(settings)
    {
    }

    public required string Id { get; init; }
    public required string Path { get; init; }

    /// <summary>How to read <see cref="Path"/>; null = recognise an Icechunk repository by its layout, else Zarr.</summary>
    public DatasetStoreKind? Store { get; init; }

    /// <summary>The Icechunk version to serve; null = <c>branch:main</c> (only for Icechunk repositories).</summary>
    public IcechunkRef? Ref { get; init; }
    public DatasetRendering Rendering { get; init; } = DatasetRendering.None;

    /// <summary>One of the built-in demo datasets.</summary>
    public bool IsDemo { get; init; }

    /// <summary>
    /// What of this definition changes served bytes, as text: part of the dataset version, so that changing a default
    /// colormap or nodata changes ETags even when the store did not change.
    /// </summary>
    public string Fingerprint => JsonSerializer.Serialize(new
    {
        Path, Store = Store?.ToString(), Ref = Ref?.ToString(), Title, Description, Attribution, DefaultVariable, Variables, Crs, Nodata,
        Rescale = Rendering.Rescale.Select(r => new[] { r.Min, r.Max }), Rendering.ColormapName, Resampling = Rendering.Resampling?.ToString(), Rendering.Bidx,
    });

    /// <summary>Checks and parses configured text; every problem is added to <paramref name="errors"/> (prefixed with the key).</summary>
    public static DatasetDefinition? Parse(string id, DatasetOptions options, List<string> errors, bool isDemo = false)
    {
        string prefix = $"TileServer:Datasets:{id}";
        int before = errors.Count;
        if (!IsValidId(id))
        {
            errors.Add($"{prefix}: dataset ids may contain only letters, digits, '-', '_' and '.' (at most 128 characters)");
        }

        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{prefix}:Path is empty; give a folder, http(s):// or s3:// URL of a Zarr store");
        }

        var store = ParseStore(options, prefix, errors);
        var reference = ParseRef(options, store, prefix, errors);
        var rendering = DatasetRendering.Parse(options.Rendering, $"{prefix}:Rendering", errors);
        if (errors.Count > before)
        {
            return null;
        }

        return new DatasetDefinition(options)
        {
            Id = id,
            Path = options.Path.Trim(),
            Store = store,
            Ref = reference,
            Rendering = rendering,
            IsDemo = isDemo,
        };
    }

    private static DatasetStoreKind? ParseStore(DatasetOptions options, string prefix, List<string> errors)
    {
        switch (options.Store?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "zarr":
                return DatasetStoreKind.Zarr;
            case "icechunk":
                return DatasetStoreKind.Icechunk;
            default:
                errors.Add($"{prefix}:Store: '{options.Store}' is not 'zarr' or 'icechunk' (leave it out to recognise an Icechunk repository by its layout)");
                return null;
        }
    }

    private static IcechunkRef? ParseRef(DatasetOptions options, DatasetStoreKind? store, string prefix, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.Ref))
        {
            return null;
        }

        if (store == DatasetStoreKind.Zarr)
        {
            errors.Add($"{prefix}:Ref is set but Store is 'zarr'; a Ref names a version of an Icechunk repository (set Store to 'icechunk' or remove Ref)");
            return null;
        }

        try
        {
            return IcechunkRef.Parse(options.Ref.Trim());
        }
        catch (FormatException ex)
        {
            errors.Add($"{prefix}:Ref: {ex.Message}");
            return null;
        }
    }

    public static bool IsValidId(string id)
        => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

/// <summary>A dataset's default rendering, parsed: what a request gets when it does not say.</summary>
public sealed record DatasetRendering
{
    public static readonly DatasetRendering None = new();

    /// <summary>One stretch for all bands, or one per band; empty = derived from the data.</summary>
    public IReadOnlyList<Stretch> Rescale { get; init; } = [];
    public string? ColormapName { get; init; }
    public ResamplingMethod? Resampling { get; init; }

    /// <summary>1-based bands of a multi-band variable; empty = all of a 3- or 4-band dimension, else the first.</summary>
    public IReadOnlyList<int> Bidx { get; init; } = [];

    public static DatasetRendering Parse(RenderingOptions options, string prefix, List<string> errors)
    {
        var rescale = new List<Stretch>();
        foreach (var part in (options.Rescale ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Stretch.TryParse(part, out var range))
            {
                rescale.Add(range);
            }
            else
            {
                errors.Add($"{prefix}:Rescale: '{part}' is not 'min,max' with finite numbers and min < max");
            }
        }

        ResamplingMethod? resampling = null;
        if (options.Resampling is { Length: > 0 } r)
        {
            if (ResamplingMethods.TryParse(r, out var method))
            {
                resampling = method;
            }
            else
            {
                errors.Add($"{prefix}:Resampling: '{r}' is not one of {string.Join(", ", ResamplingMethods.Names)}");
            }
        }

        var bidx = new List<int>();
        foreach (var part in (options.Bidx ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1)
            {
                bidx.Add(b);
            }
            else
            {
                errors.Add($"{prefix}:Bidx: '{part}' is not a 1-based band number (write e.g. \"3,2,1\")");
            }
        }

        return new DatasetRendering
        {
            Rescale = rescale,
            ColormapName = string.IsNullOrWhiteSpace(options.ColormapName) ? null : options.ColormapName.Trim(),
            Resampling = resampling,
            Bidx = bidx,
        };
    }
}

/// <summary>How a dataset's store is read.</summary>
public enum DatasetStoreKind
{
    /// <summary>A Zarr v2 or v3 store (or kerchunk references).</summary>
    Zarr,

    /// <summary>An Icechunk repository: one snapshot of it, named by a ref.</summary>
    Icechunk,
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using TileServer.Crs;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Storage.Kerchunk;
using TileServer.Tiling;

namespace TileServer.Fuzz.Targets;

/// <summary>Kerchunk reference files through <see cref="KerchunkReferences.Parse"/> (templates and <c>gen</c> included).</summary>
public sealed class KerchunkTarget : FuzzTarget
{
    /// <summary>What one reference may cost once parsed: its key, URL and record (gen expands a short text into many).</summary>
    private const long BytesPerReference = 1024;

    public override string Name => "kerchunk";
    public override string Contract => "KerchunkReferences.Parse: KerchunkFormatException only; references capped at KerchunkReferences.MaxReferences";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        int references = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Invariants.Check(Name, long.MaxValue, Invariants.IsOwnError, () => references = KerchunkReferences.Parse(input, "/data/refs", "refs.json", "refs.json").Count);
        long used = GC.GetAllocatedBytesForCurrentThread() - before;

        // Memory follows what the file says to build (its references, at most the documented cap), never a number alone.
        long bound = Invariants.TextBound(input.Length, BytesPerReference * references);
        if (used > bound)
        {
            throw new FuzzViolation($"{Name}: allocated {used:N0} bytes for {references} references from {input.Length} input bytes; the bound is {bound:N0}");
        }
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Directory.EnumerateFiles(RepositoryFiles.PathOf("tests/data/kerchunk"), "*.json")
            .Concat(Directory.EnumerateFiles(RepositoryFiles.PathOf("tests/fuzz/seeds/kerchunk"), "*.json"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
}

/// <summary>TileMatrixSet JSON (OGC 2.0 and 1.0) through <see cref="TileMatrixSetRegistry.FromJson"/>.</summary>
public sealed class TmsTarget : FuzzTarget
{
    private static readonly Lazy<TileMatrixSetRegistry> Registry = new(() => new TileMatrixSetRegistry(new CrsRegistry()));

    public override string Name => "tms";
    public override string Contract => "TileMatrixSetRegistry.FromJson: TileMatrixSetException (our error kinds) only";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        if (CrsProjJsonTarget.TryParse(input) is not JsonObject json)
        {
            return;
        }

        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => Registry.Value.FromJson(json));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Directory.EnumerateFiles(RepositoryFiles.PathOf("src/TileServer.Tiling/Data/tms"), "*.json")
            .Concat(Directory.EnumerateFiles(RepositoryFiles.PathOf("tests/TileServer.Api.Tests/data"), "*.json"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes)
            .Concat(FixtureJson.Objects.Where(o => o.ContainsKey("tileMatrices")).Select(o => FixtureJson.Utf8(o.ToJsonString())))
            .ToArray();
}

/// <summary>A tile request's query string through <see cref="TileQuery.Parse"/>, its canonical form and its read request.</summary>
public sealed class QueryTarget : FuzzTarget
{
    public override string Name => "query";
    public override string Contract => "TileQuery.Parse (+ Normalized, ParseColormap): BadRequestException only";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () =>
        {
            var query = TileQuery.Parse(new RequestParameters(QueryHelpers.ParseQuery(text)), maxTileSize: 1024);
            query.Normalized();
            if (query.ColormapJson is { } json)
            {
                TileQuery.ParseColormap(json);
            }
        });
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => File.ReadAllLines(RepositoryFiles.PathOf("tests/fuzz/seeds/query/queries.txt")).Where(l => l.Length > 0).Select(FixtureJson.Utf8).ToArray();
}

/// <summary>The <c>colormap</c> query parameter's JSON through <see cref="TileQuery.ParseColormap"/>.</summary>
public sealed class ColormapTarget : FuzzTarget
{
    public override string Name => "colormap";
    public override string Contract => "TileQuery.ParseColormap (Colormap.ParseJson): BadRequestException only";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => TileQuery.ParseColormap(text));
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Directory.EnumerateFiles(RepositoryFiles.PathOf("tests/fuzz/seeds/colormap"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
}

/// <summary>
/// The catalog: a configuration file's <c>TileServer</c> section bound to <see cref="DataOptions"/>, validated, and
/// turned into dataset definitions (<c>DatasetDefinition.Parse</c>). JSON that the configuration system itself
/// refuses (syntax, a value of the wrong type) fails at startup with its message; once bound, validation reports
/// problems as a list and throws nothing.
/// </summary>
public sealed class CatalogTarget : FuzzTarget
{
    public override string Name => "catalog";
    public override string Contract => "DataOptions binding: the configuration system's FormatException/InvalidDataException/InvalidOperationException; DataOptions.Validate/Definitions: nothing";
    public override InputKind Kind => InputKind.Text;

    public override void Run(byte[] input)
    {
        DataOptions? options = null;
        Invariants.Check(Name, Invariants.TextBound(input.Length), IsConfigurationError, () =>
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(input)).Build();
            options = configuration.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions();
        });

        if (options is null)
        {
            return;
        }

        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.Nothing, () =>
        {
            options.Validate().ToList();
            options.Definitions();
        });
    }

    private static bool IsConfigurationError(Exception ex) => ex is FormatException or InvalidDataException or InvalidOperationException or JsonException;

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => [File.ReadAllBytes(RepositoryFiles.PathOf("appsettings.json")), File.ReadAllBytes(RepositoryFiles.PathOf("tests/fuzz/seeds/catalog/datasets.json"))];
}

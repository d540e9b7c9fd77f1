using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.Reading.Inspection;

/// <summary>Writes an <see cref="InspectionReport"/> for a person, in the manner of <c>gdalinfo</c>.</summary>
public static class InspectionText
{
    // Attributes are shown as written (WKT keeps its quotes), not escaped for embedding in HTML.
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, InspectionReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        output.WriteLine($"Store: {report.Path}");
        if (!report.Readable)
        {
            output.WriteLine("Could not be read.");
            WriteProblems(output, report.Problems);
            return;
        }

        output.WriteLine($"Kind: {report.Source}");
        output.WriteLine($"Zarr format: {report.ZarrFormat}{(report.Consolidated ? " (consolidated metadata)" : "")}");
        output.WriteLine($"Nodes ({report.Nodes.Count}, from {report.NodesFrom}):");
        foreach (var node in report.Nodes)
        {
            WriteNode(output, node);
        }

        WriteDataset(output, report.Dataset);
        WriteProblems(output, report.Problems);
    }

    private static void WriteNode(TextWriter output, InspectedNode node)
    {
        output.WriteLine($"  /{node.Path} ({node.NodeType})");
        if (node.NodeType == "array" && node.Shape is { } shape)
        {
            output.WriteLine($"    shape: {Dims(shape)}  dtype: {node.DataType}  chunks: {Dims(node.ChunkShape!)}{(node.ShardShape is { } s ? $" in shards of {Dims(s)}" : "")}");
            output.WriteLine($"    codecs: {node.Codecs}");
            output.WriteLine($"    fill value: {node.FillValue?.ToJsonString() ?? "null"}");
            if (node.DimensionNames is { } names)
            {
                output.WriteLine($"    dimensions: {string.Join(", ", names)}");
            }
        }

        if (node.Attributes.Count > 0)
        {
            output.WriteLine("    attributes:");
            foreach (var (key, value) in node.Attributes)
            {
                output.WriteLine($"      {key}: {Shorten(value?.ToJsonString(Compact) ?? "null")}");
            }
        }
    }

    private static void WriteDataset(TextWriter output, InspectedDataset? dataset)
    {
        if (dataset is null)
        {
            output.WriteLine("Understood as a dataset: no (see the problems)");
            return;
        }

        output.WriteLine("Understood as a dataset:");
        output.WriteLine($"  variables: {string.Join(", ", dataset.Variables)}");
        output.WriteLine($"  CRS: {dataset.Crs}, from {dataset.CrsSource}");
        output.WriteLine($"  spatial dimensions: y = {dataset.YDimension}, x = {dataset.XDimension}");
        output.WriteLine($"  grid: {dataset.GridKind}");
        output.WriteLine($"  multiscales: {dataset.MultiscaleLayout}, {dataset.Levels.Count} level(s)");
        foreach (var level in dataset.Levels)
        {
            string bounds = string.Join(", ", level.Bounds.Select(b => b.ToString("G10", CultureInfo.InvariantCulture)));
            string tileMatrix = level.TileMatrix is { } tm ? $", tile matrix {tm}" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    /{level.Path}: {level.Width} x {level.Height}, resolution {level.ResolutionX:G6} x {level.ResolutionY:G6}, bounds [{bounds}]{tileMatrix}"));
        }

        output.WriteLine(dataset.Time is { } t
            ? $"  time: {t.Dimension}, {t.Count} step(s), {t.First} .. {t.Last}"
            : "  time: none");
        foreach (var note in dataset.Notes)
        {
            output.WriteLine($"  note: {note}");
        }
    }

    private static void WriteProblems(TextWriter output, IReadOnlyList<InspectionProblem> problems)
    {
        output.WriteLine(problems.Count == 0 ? "Problems: none" : $"Problems ({problems.Count}):");
        foreach (var p in problems)
        {
            output.WriteLine($"  [{p.Kind}] {(p.Path.Length > 0 ? "/" + p.Path + ": " : "")}{p.Message}");
        }
    }

    private static string Dims<T>(IReadOnlyList<T> values) => values.Count == 0 ? "() (scalar)" : string.Join(" x ", values);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}

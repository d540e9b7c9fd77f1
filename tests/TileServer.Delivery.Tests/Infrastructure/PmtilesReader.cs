using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TileServer.Delivery.Tests.Infrastructure;

/// <summary>
/// A PMTiles archive as the pmtiles npm package (4.5.0, pinned in tests/tools) reads it, through
/// tests/interop/pmtiles_read.mjs: header, metadata and every tile found by z/x/y. A missing Node.js or package fails
/// the test, naming what to run.
/// </summary>
public sealed record PmtilesReader(JsonObject Header, JsonNode? Metadata, IReadOnlyDictionary<(int Z, int X, int Y), byte[]> Tiles)
{
    public static async Task<PmtilesReader> ReadAsync(string archive)
    {
        string root = RepoRoot();
        string script = Path.Combine(root, "tests", "interop", "pmtiles_read.mjs");
        Assert.True(Directory.Exists(Path.Combine(root, "tests", "tools", "node_modules", "pmtiles")),
            "The pmtiles npm package is not installed in tests/tools/node_modules: run tests/run.sh (npm ci --prefix tests/tools).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, ArgumentList = { script, archive } };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start: install Node.js 20");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"pmtiles_read.mjs exited {process.ExitCode}: {await stderr}");
        var document = JsonNode.Parse(await stdout)!.AsObject();
        var tiles = document["tiles"]!.AsArray().ToDictionary(
            t => ((int)t!["z"]!, (int)t["x"]!, (int)t["y"]!),
            t => Convert.FromBase64String((string)t!["base64"]!));
        return new PmtilesReader(document["header"]!.AsObject(), document["metadata"], tiles);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    }
}

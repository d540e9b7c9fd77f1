namespace TileServer.Zarr.Tests;

/// <summary>Locates the repository (the folder holding TileServer.sln) and the test data beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string ZarrData => Path.Combine(RepoRoot, "tests", "data", "zarr");

    /// <summary>A built-in demo store in data/demo (real-world samples), failing with its name when missing.</summary>
    public static string Demo(string relative) => Existing(Path.Combine(RepoRoot, "data", "demo", relative));

    /// <summary>A file of the real-world samples' reference values in tests/data/real, failing with its name when missing.</summary>
    public static string RealData(string relative) => Existing(Path.Combine(RepoRoot, "tests", "data", "real", relative));

    private static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"{Path.GetRelativePath(RepoRoot, path)} is missing: it belongs to the repository (restore it with `git checkout -- {Path.GetRelativePath(RepoRoot, path)}`).", path);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    }
}

namespace TileServer.Crs.Tests;

/// <summary>
/// The repository (the folder holding TileServer.sln) and the test data in it: <c>tests/data/real</c> (real-world
/// samples), <c>tests/data/geozarr</c> (GeoZarr fixtures) and the built-in demo stores in <c>data/demo</c>.
/// A missing file fails the test that needs it, naming the file.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>A file or folder given relative to the repository root, e.g. <c>data/demo/oisst.zarr</c>.</summary>
    public static string Repo(params string[] parts) => Existing(Path.GetFullPath(Path.Combine([Root.Value, .. parts])));

    public static string RealData(params string[] parts) => Repo(["tests", "data", "real", .. parts]);

    public static string GeoZarr(params string[] parts) => Repo(["tests", "data", "geozarr", .. parts]);

    public static string Demo(params string[] parts) => Repo(["data", "demo", .. parts]);

    private static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"{Path.GetRelativePath(Root.Value, path)} is missing: it belongs to the repository (restore it with `git checkout -- {Path.GetRelativePath(Root.Value, path)}`).", path);
}

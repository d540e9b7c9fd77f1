namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// Locations of the repository and of the test data it holds: <c>tests/data/real</c> (real-world samples with GDAL
/// reference tiles), <c>tests/data/geozarr</c> (GeoZarr fixtures) and the built-in demo stores in <c>data/demo</c>.
/// A missing file fails the test that needs it, naming the file.
/// </summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TestData(params string[] parts) => Existing(Path.Combine([RepoRoot, "tests", "data", .. parts]));

    public static string RealData(params string[] parts) => TestData(["real", .. parts]);

    public static string GeoZarr(params string[] parts) => TestData(["geozarr", .. parts]);

    public static string Demo(params string[] parts) => Existing(Path.Combine([RepoRoot, "data", "demo", .. parts]));

    public static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"{Path.GetRelativePath(RepoRoot, path)} is missing: it belongs to the repository (restore it with `git checkout -- {Path.GetRelativePath(RepoRoot, path)}`).", path);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    }
}

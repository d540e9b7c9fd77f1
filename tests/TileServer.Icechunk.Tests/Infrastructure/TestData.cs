namespace TileServer.Icechunk.Tests.Infrastructure;

internal static class TestData
{
    public static string Root { get; } = FindRoot();

    /// <summary>Upstream Icechunk's own test repositories (see tests/data/icechunk/README.md for where they come from).</summary>
    public static string Upstream(string repository)
    {
        string path = Path.Combine(Root, "tests", "data", "icechunk-upstream", repository);
        if (!Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"upstream Icechunk test repository '{repository}' is missing ({path}); copy the repositories in as "
                + "tests/data/icechunk/README.md describes (upstream earth-mover/icechunk, icechunk-python/tests/data/)");
        }

        return path;
    }

    public static string Icechunk(string name) => Path.Combine(Root, "tests", "data", "icechunk", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no TileServer.sln above {AppContext.BaseDirectory}");
    }
}

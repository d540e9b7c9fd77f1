namespace TileServer.Fuzz;

/// <summary>Finds the repository (the folder holding TileServer.sln) and the fixtures the seed corpora come from.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Files under a repository folder whose name matches, in a stable order.</summary>
    public static IEnumerable<string> Find(string relativeFolder, params string[] fileNames)
    {
        string folder = PathOf(relativeFolder);
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"fixture folder {relativeFolder} is missing; the seed corpora are read from the repository (git checkout)");
        }

        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => fileNames.Contains(Path.GetFileName(f), StringComparer.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("TileServer.sln not found above the fuzz binaries; run from a checkout of the repository");
    }
}

namespace TileServer.Zarr.Tests;

/// <summary>A scratch copy of a fixture store that a test may damage; deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(string fixture)
    {
        Root = Path.Combine(Path.GetTempPath(), "zarr-test-" + Guid.NewGuid().ToString("N"));
        Copy(fixture, Root);
    }

    public string Root { get; }

    public string PathOf(string key) => System.IO.Path.Combine(Root, key);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            string target = System.IO.Path.Combine(to, System.IO.Path.GetFileName(file));
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal);
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
        }
    }
}

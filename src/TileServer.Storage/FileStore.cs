using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace TileServer.Storage;

/// <summary>A folder on the local file system. Keys may not escape the folder.</summary>
public sealed class FileStore : IListableByteStore
{
    private readonly string _root;

    public FileStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Location => _root;

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException ex) when (Directory.Exists(path))
        {
            // A key that names a folder is not an object.
            _ = ex;
            return null;
        }
        catch (IOException ex)
        {
            throw new StoreException(_root, key, "cannot open file", ex);
        }

        using (handle)
        {
            try
            {
                if (!RangeMath.TryResolve(range, RandomAccess.GetLength(handle), out long start, out long length))
                {
                    return null;
                }

                if (length > Array.MaxLength)
                {
                    throw new StoreException(_root, key, $"object of {length} bytes is too large to read at once");
                }

                var buffer = GC.AllocateUninitializedArray<byte>((int)length);
                int read = 0;
                while (read < buffer.Length)
                {
                    int n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), start + read, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new StoreException(_root, key, "file shrank while being read");
                    }

                    read += n;
                }

                return buffer;
            }
            catch (IOException ex)
            {
                throw new StoreException(_root, key, "cannot read file", ex);
            }
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        // Links are not followed, so a listing stays inside the folder and cannot loop.
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(_root, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Path.GetRelativePath(_root, file).Replace('\\', '/');
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string Resolve(string key)
    {
        var relative = key.Replace('\\', '/').TrimStart('/');
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        // The separator matters: '/data/x' must not admit '/data/xy/…' through a key like '../xy/a'.
        string rootWithSeparator = Path.EndsInDirectorySeparator(_root) ? _root : _root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal) && full != _root)
        {
            throw new StoreException(_root, key, "key escapes the store root");
        }

        return full;
    }
}

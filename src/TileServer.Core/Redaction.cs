using System.Text.RegularExpressions;

namespace TileServer;

/// <summary>
/// Takes private details out of a message before a client or the log sees it: store locations (a server's folders,
/// bucket URLs), URL query strings (signatures, tokens) and user info (credentials). What remains still says what
/// went wrong; the operator knows where each dataset lives from its configuration.
/// </summary>
public static partial class Redaction
{
    /// <param name="location">A store location to name as <paramref name="locationName"/> (with its file:// form and trailing separators).</param>
    public static string Redact(string message, string? location = null, string? locationName = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        string text = message;
        if (!string.IsNullOrWhiteSpace(location))
        {
            string name = locationName ?? "[store]";
            foreach (var form in Forms(location.Trim()))
            {
                text = text.Replace(form, name, StringComparison.Ordinal);
            }
        }

        text = UserInfo().Replace(text, "${scheme}");
        text = UrlQuery().Replace(text, "${url}?[redacted]");
        text = AbsolutePath().Replace(text, "[path]");
        return text;
    }

    private static IEnumerable<string> Forms(string location)
    {
        string trimmed = location.TrimEnd('/', '\\');
        if (trimmed.Length == 0)
        {
            yield break;
        }

        // Longest first, so that a path is not half replaced by a shorter form of it.
        if (!location.Contains("://", StringComparison.Ordinal) && Path.IsPathRooted(trimmed))
        {
            yield return "file://" + trimmed;
        }

        yield return trimmed;
    }

    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s'""@]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<url>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'""?#]*)\?[^\s'""]+")]
    private static partial Regex UrlQuery();

    // Two or more segments, not inside a URL (not after a word character, ':' or '/'), or a Windows drive path.
    [GeneratedRegex(@"(?<![\w:/.\]])(?:/[^\s'""/:,;]+){2,}/?|\b[A-Za-z]:\\[^\s'""]+")]
    private static partial Regex AbsolutePath();
}

namespace TileServer.Api;

/// <summary><c>TileServer.Api healthcheck [url]</c>: exit 0 when the server's /healthz answers 200 within 3 s.</summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(string? url)
    {
        url ??= "http://127.0.0.1:" + (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';')[0] ?? "8080") + "/healthz";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync(url).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"healthcheck {url}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}

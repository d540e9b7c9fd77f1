namespace TileServer.Api.Tests.Infrastructure;

/// <summary>Seeded random mutations of an OGC KVP request: parameters dropped, given junk values, lower-cased or repeated.</summary>
public static class KvpMutation
{
    /// <summary>Applies one to three mutations to <paramref name="parts"/> (<c>NAME=value</c> items); an added parameter is named by <paramref name="addedName"/>.</summary>
    public static void Mutate(List<string> parts, Random random, IReadOnlyList<string> junk, Func<string, string>? addedName = null)
    {
        for (int m = random.Next(1, 4); m > 0 && parts.Count > 0; m--)
        {
            int k = random.Next(parts.Count);
            string key = parts[k].Split('=')[0];
            string value = Uri.EscapeDataString(junk[random.Next(junk.Count)]);
            switch (random.Next(4))
            {
                case 0: parts.RemoveAt(k); break;
                case 1: parts[k] = key + "=" + value; break;
                case 2: parts[k] = key.ToLowerInvariant() + "=" + parts[k].Split('=', 2)[1]; break;
                default: parts.Add((addedName?.Invoke(key) ?? key) + "=" + value); break;
            }
        }
    }
}

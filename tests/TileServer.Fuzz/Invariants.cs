namespace TileServer.Fuzz;

/// <summary>
/// The two invariants every target checks around one call: only the parser's own error kinds escape, and the bytes
/// allocated on the calling thread stay under a bound computed from the input's size (plus, where a target reads
/// data, the decoded size the fixture's metadata declares). Memory is measured, never time.
/// </summary>
public static class Invariants
{
    [ThreadStatic]
    private static bool t_warmingUp;

    /// <summary>Allowance for the fixed costs of one call (a store, a hierarchy, a few small records).</summary>
    public const long BaseBytes = 2L * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="call"/>; exceptions for which <paramref name="expected"/> is true are the parser's
    /// answer to bad input. Anything else, or more than <paramref name="allowedBytes"/> allocated, is a violation.
    /// </summary>
    public static void Check(string target, long allowedBytes, Func<Exception, bool> expected, Action call)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            call();
        }
        catch (Exception ex) when (ex is not FuzzViolation && !expected(ex))
        {
            throw new FuzzViolation($"{target}: {ex.GetType().FullName} escaped the parser: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not FuzzViolation)
        {
            // The parser's own answer to bad input.
        }

        long used = GC.GetAllocatedBytesForCurrentThread() - before;
        if (used > allowedBytes && !t_warmingUp)
        {
            throw new FuzzViolation($"{target}: allocated {used:N0} bytes for one input; the bound for this input is {allowedBytes:N0} bytes");
        }
    }

    /// <summary>Within the returned scope, allocation is not checked: first calls pay for static tables and caches.</summary>
    public static IDisposable WarmingUp()
    {
        t_warmingUp = true;
        return new WarmUpScope();
    }

    /// <summary>Our own error kinds: what every store-facing parser may throw.</summary>
    public static bool IsOwnError(Exception ex) => ex is TileServerException;

    /// <summary>For parsers documented to throw nothing at all.</summary>
    public static bool Nothing(Exception ex) => false;

    /// <summary>The bound for a parser whose work is proportional to its text: JSON trees cost tens of bytes per input byte.</summary>
    public static long TextBound(int inputLength, long extra = 0) => BaseBytes + (64L * inputLength) + extra;

    private sealed class WarmUpScope : IDisposable
    {
        public void Dispose() => t_warmingUp = false;
    }
}

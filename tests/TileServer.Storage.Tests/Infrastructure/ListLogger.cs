using Microsoft.Extensions.Logging;

namespace TileServer.Storage.Tests.Infrastructure;

/// <summary>Keeps structured log entries so tests can read what the code decided (e.g. a retry delay).</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<IReadOnlyList<KeyValuePair<string, object?>>> _entries = [];

    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                lock (owner._entries)
                {
                    owner._entries.Add(values.ToArray());
                }
            }
        }
    }
}

using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.OpenAIChat;
using LlmGateway.Tests.Infrastructure;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

/// <summary>Helpers for the OpenAI Chat codec tests: SSE in and out, stable dumps.</summary>
internal static class OpenAIChatTestKit
{
    public const string Dir = "Golden/OpenAIChat/";

    public static OpenAIChatCodec Codec => OpenAIChatCodec.Instance;

    public static byte[] ReadBytes(string name) => Golden.Bytes(Dir + name);

    public static List<StreamEvent> DecodeSse(Stream sse) => SseTestStreams.Decode(Codec.CreateStreamDecoder(), sse);

    public static List<StreamEvent> DecodeSse(string name) => DecodeSse(new MemoryStream(ReadBytes(name)));

    /// <summary>The encoder's SSE output as a JSON array of frames: parsed data, or the literal data string.</summary>
    public static JsonArray Frames(string sse)
    {
        var frames = new JsonArray();
        foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(sse))).Enumerate())
        {
            var node = item.Data.StartsWith('{') ? JsonNode.Parse(item.Data)! : JsonValue.Create(item.Data);
            if (node is JsonObject o && o.ContainsKey("created"))
            {
                o["created"] = 0; // encoder clock
            }

            frames.Add(node);
        }

        return frames;
    }

    /// <summary>Replaces minted tool-call ids (random) with a placeholder so goldens are stable.</summary>
    public static T Stable<T>(T node)
        where T : JsonNode
    {
        Walk(node);
        return node;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is JsonValue v && v.TryGetValue<string>(out var s) && MintedIds.IsMinted(s))
                    {
                        o[key] = "<minted>";
                    }
                    else
                    {
                        Walk(o[key]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item);
                }

                break;
        }
    }
}

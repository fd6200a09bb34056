using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Requests;
using NUnit.Framework;

namespace LlmGateway.Tests.Providers;

[TestFixture]
public sealed class RequestEnvelopeTests
{
    [TestCase("""{"model":"gpt-4o","stream":true}""", "gpt-4o", true)]
    [TestCase("""{"stream":false,"messages":[{"model":"inner"}],"model":"claude-3"}""", "claude-3", false)]
    [TestCase("""{"messages":[],"metadata":{"model":"nested","stream":true}}""", null, false)]
    [TestCase("""{"model":42,"stream":"yes"}""", null, false)]
    [TestCase("""{"model":"","stream":true}""", null, true)]
    [TestCase("""  {"model":"caf\u00e9"}  """, "café", false)]
    public void Read_TopLevelFields_AreFoundAndNestedOnesIgnored(string json, string? model, bool stream)
    {
        var envelope = RequestEnvelope.Read(Encoding.UTF8.GetBytes(json));

        Assert.That(envelope, Is.EqualTo(new RequestEnvelope(model, stream)));
    }

    [TestCase("""{"model":"x",""")]
    [TestCase("""{"model":"x"} {"model":"y"}""")]
    [TestCase("""["model","x"]""")]
    [TestCase("""{"model":"x","messages":[1,2,}""")]
    [TestCase("")]
    [TestCase("""{"model":"x"} trailing""")]
    public void Read_MalformedJson_Throws(string json)
    {
        Assert.That(() => RequestEnvelope.Read(Encoding.UTF8.GetBytes(json)), Throws.InstanceOf<JsonException>());
    }

    [TestCase("""{"model":"m","max_tokens":64}""", 64)]
    [TestCase("""{"model":"m","max_completion_tokens":300,"max_tokens":20}""", 300)]
    [TestCase("""{"contents":[],"generationConfig":{"temperature":1,"maxOutputTokens":77}}""", 77)]
    [TestCase("""{"model":"m","messages":[{"max_tokens":5}]}""", null)]
    [TestCase("""{"model":"m"}""", null)]
    public void Read_OutputCap_IsTheLargestEachProtocolNames(string body, int? expected)
        => Assert.That(RequestEnvelope.Read(Encoding.UTF8.GetBytes(body)).MaxOutputTokens, Is.EqualTo(expected));
}

using SeqRec.Data;
using static TorchSharp.torch;

namespace SeqRec.Parity;

/// <summary>
/// A model whose reference fixtures record outputs beyond the contract's (<c>forward</c>, scores, losses), such as
/// BERT4Rec's <c>forward_masked</c>: the parity check compares each one the model can compute.
/// </summary>
public interface IReferenceOutputs
{
    /// <summary>The model's value of the fixture output <paramref name="name"/> for <paramref name="batch"/>, or null for an output it does not know.</summary>
    Tensor? ReferenceOutput(string name, Batch batch);
}

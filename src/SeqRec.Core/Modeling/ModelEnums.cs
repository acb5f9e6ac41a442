namespace SeqRec.Modeling;

/// <summary>hidden_act values; config spellings are the lower-case names (gelu, relu, swish, tanh, sigmoid).</summary>
public enum Activation { Gelu, Relu, Swish, Tanh, Sigmoid }

/// <summary>loss_type values: CE over all items, or BPR with one uniform negative per sample.</summary>
public enum LossType { CE, BPR }

"""FullTokenizer for the fixture generator: the tokenization.py restatement of
refgen/tokenization/bert_tokenization.py behind the interface create_pretraining_data.py uses
(`vocab` in file order, `tokenize`, `convert_tokens_to_ids`)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenization"))

from bert_tokenization import full_tokenize, read_vocab  # noqa: E402


class FullTokenizer:
    def __init__(self, vocab_file, do_lower_case):
        self.vocab = read_vocab(vocab_file)
        self.do_lower_case = do_lower_case

    def tokenize(self, text):
        return full_tokenize(text, self.vocab, self.do_lower_case)

    def convert_tokens_to_ids(self, tokens):
        return [self.vocab[t] for t in tokens]

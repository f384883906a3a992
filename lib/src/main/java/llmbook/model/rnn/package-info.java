/** The recurrent baseline of chapter 5: a GRU cell and a GRU encoder–decoder without attention. Q7. */
package llmbook.model.rnn;

package io.qnsp.vault.leak.source;

/** Receives what a source reads of one repository, in order. */
public interface SourceVisitor {

    /** One file's lines to scan. */
    void text(SourceText text);

    /** How much of the repository has been read, from 0 to 1. */
    void progress(double fraction);
}

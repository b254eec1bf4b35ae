--÷ aCLUSTER/* */
-- u
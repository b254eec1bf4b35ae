SELECT 1; /* open /* nested */ 
